-- Dossiers added to fixture.sql: closed without a result (D15, D17) and skipped by the repair
-- but classified by their stored deadline (D16, D18). Expected values in closed_test.go.
INSERT INTO dossiers VALUES (15, 'D15', 7, 2, '2021-03-08 09:00:00', '2021-03-08 13:00:00', '2021-03-08 13:00:00', '2021-03-10 10:00:00', 'withdrawn', NULL, 0, NULL, NULL);
INSERT INTO dossiers VALUES (16, 'D16', 1, 1, '2021-03-08 10:00:00', '2021-03-09 10:00:00', '2021-03-09 10:00:00', '2021-03-11 09:00:00', 'done', 1, 2, NULL, NULL);
INSERT INTO dossiers VALUES (17, 'D17', 7, 2, '2021-03-08 09:00:00', '2021-03-08 13:00:00', '2021-03-08 13:00:00', NULL, 'rejected', NULL, 0, NULL, NULL);
INSERT INTO dossiers VALUES (18, 'D18', 1, 1, '2021-03-08 10:00:00', '2021-03-09 10:00:00', '2021-03-09 10:00:00', '2021-03-09 12:00:00', 'done', 1, 0, '2021-03-09 08:00:00', NULL);
