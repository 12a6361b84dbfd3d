// Package sqlfiles embeds the SQL shipped with fixer: the reference one-stop-shop schema and the
// versioned migrations of fixer's own audit tables, one folder per dialect.
package sqlfiles

import "embed"

// FS holds reference/<dialect>.sql and migrations/<dialect>/NNNN_name.sql.
//
//go:embed reference/*.sql migrations
var FS embed.FS
