package main

import "github.com/spf13/cobra"

// Placeholder: replaced by the real command.
func newCalendarCmd(g *globalFlags) *cobra.Command { return &cobra.Command{Use: "calendar"} }
