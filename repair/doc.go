// Package repair plans and applies the deadline repair of a one-stop-shop database.
//
// A run reads the procedures and then streams the dossiers in scope in primary-key order, in
// batches. For every dossier the [Planner] computes, by the rules of package rules, the values
// the target profile gives its appointment, processing deadline, step deadlines and lateness
// flag, guarded so that no deadline moves earlier and no lateness of whole days is hidden. A
// dry run ([Runner.Plan]) only reports; [Runner.Apply] writes each batch in one transaction
// together with its audit rows, through a [Store]; [Runner.Rollback] restores a changeset.
package repair
