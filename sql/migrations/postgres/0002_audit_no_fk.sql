-- The audit rows' changeset_id stops being a foreign key, as on MySQL: PostgreSQL checked it
-- with a trigger and a share lock on the changeset row for every audit row, which doubled the
-- cost of writing the audit. fixer creates a changeset before any of its changes, writes each
-- batch's changes with the batch's progress on the changeset in one transaction, and never
-- deletes a changeset, so every changeset_id names an existing changeset.
DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT conname FROM pg_constraint
              WHERE conrelid = '{{prefix}}changes'::regclass AND contype = 'f' LOOP
        EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', '{{prefix}}changes', c.conname);
    END LOOP;
END
$$;
