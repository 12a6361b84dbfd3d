package main

import _ "fixer/internal/db" // registers the database drivers
