package sqlstore

// UnionRows makes s write its MySQL compare-and-set UPDATEs with a derived table of one SELECT
// per row, the form of MySQL, TiDB and Vitess, on MariaDB too.
func UnionRows(s *Store) { s.unionRows = true }
