package main

import "github.com/spf13/cobra"

// Placeholder: replaced by the real command.
func newDueCmd(g *globalFlags) *cobra.Command { return &cobra.Command{Use: "due"} }
