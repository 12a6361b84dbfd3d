-- Hand-checked fixture for the integration suite. Stored deadlines are what the legacy system
-- (hour counting, no snap) wrote; the expected values after the repair are worked out by hand
-- in integration_test.go from the official 2021 calendar.
INSERT INTO agencies (id, code, name, kind) VALUES (1, 'STP', 'Sở Tư pháp', 'department');
INSERT INTO agencies (id, code, name, kind) VALUES (2, 'UBND-A', 'UBND huyện An Lạc', 'district');
INSERT INTO procedures VALUES (1, '1.000001', 'Cấp Phiếu lý lịch tư pháp', 1, '1d', NULL, 'hour', 'none', 'hour', 'none');
INSERT INTO procedures VALUES (2, '1.000002', 'Đăng ký thành lập doanh nghiệp', 1, '5d', NULL, 'hour', 'none', 'hour', 'none');
INSERT INTO procedures VALUES (3, '1.000003', 'Chứng thực bản sao từ bản chính', 2, '0.5d', NULL, 'hour', 'none', 'hour', 'none');
INSERT INTO procedures VALUES (4, '1.000004', 'Chứng thực chữ ký', 2, '0d', '15:00', 'hour', 'none', 'hour', 'none');
INSERT INTO procedures VALUES (5, '1.000005', 'Cấp giấy phép xây dựng', 2, '15cd', NULL, 'hour', 'none', 'hour', 'none');
INSERT INTO procedures VALUES (6, '1.000006', 'Thủ tục có thời hạn sai', 2, '5xyz', NULL, 'hour', 'none', 'hour', 'none');
INSERT INTO procedures VALUES (7, '1.000007', 'Xác nhận tình trạng hôn nhân', 2, '4h', NULL, 'hour', 'none', 'hour', 'none');
INSERT INTO procedure_steps VALUES (1, 1, 1, 'Tiếp nhận và thẩm định', '4h');
INSERT INTO dossiers VALUES (1, 'D01', 1, 1, '2021-03-08 10:15:42', '2021-03-09 10:15:42', '2021-03-09 10:15:42', '2021-03-09 10:40:00', 'done', 1, 0, NULL, NULL);
INSERT INTO dossiers VALUES (2, 'D02', 2, 1, '2021-02-05 16:00:00', '2021-02-19 16:00:00', '2021-02-19 16:00:00', NULL, 'processing', NULL, 0, NULL, NULL);
INSERT INTO dossiers VALUES (3, 'D03', 3, 2, '2021-03-08 07:00:00', '2021-03-08 11:30:00', '2021-03-08 11:30:00', '2021-03-08 11:00:00', 'done', 0, 0, NULL, NULL);
INSERT INTO dossiers VALUES (4, 'D04', 4, 2, '2021-03-09 15:30:00', '2021-03-09 15:30:00', '2021-03-09 15:30:00', '2021-03-10 09:00:00', 'done', 1, 0, NULL, NULL);
INSERT INTO dossiers VALUES (5, 'D05', 5, 2, '2021-04-15 10:00:00', '2021-04-30 10:00:00', '2021-04-30 10:00:00', NULL, 'processing', NULL, 0, NULL, NULL);
INSERT INTO dossiers VALUES (6, 'D06', 6, 2, '2021-03-08 09:00:00', NULL, NULL, NULL, 'processing', NULL, 0, NULL, NULL);
INSERT INTO dossiers VALUES (7, 'D07', 1, 1, NULL, NULL, NULL, NULL, 'processing', NULL, 0, NULL, NULL);
INSERT INTO dossiers VALUES (8, 'D08', 1, 1, '2021-03-10 10:00:00', '2021-03-11 10:00:00', '2021-03-11 10:00:00', '2021-03-09 10:00:00', 'done', 0, 0, NULL, NULL);
INSERT INTO dossiers VALUES (9, 'D09', 2, 1, '2021-03-08 09:00:00', '2021-03-15 09:00:00', '2021-03-15 09:00:00', NULL, 'paused', NULL, 1, NULL, NULL);
INSERT INTO dossiers VALUES (10, 'D10', 999, 1, '2021-03-08 09:00:00', NULL, NULL, NULL, 'processing', NULL, 0, NULL, NULL);
INSERT INTO dossiers VALUES (11, 'D11', 7, 2, '2021-03-08 11:00:00', '2021-03-09 09:00:00', '2021-03-09 09:00:00', NULL, 'processing', NULL, 0, NULL, NULL);
INSERT INTO dossiers VALUES (12, 'D12', 1, 1, '2020-12-30 14:00:00', '2020-12-31 14:00:00', '2020-12-31 14:00:00', NULL, 'processing', NULL, 0, NULL, NULL);
INSERT INTO dossiers VALUES (13, 'D13', 1, 1, '2020-06-01 14:00:00', '2020-06-02 14:00:00', '2020-06-02 14:00:00', '2020-06-02 15:00:00', 'done', 1, 0, NULL, NULL);
INSERT INTO dossiers VALUES (14, 'D14', 1, 1, '2020-05-04 14:00:00', '2020-05-05 14:00:00', '2020-05-05 14:00:00', NULL, 'withdrawn', NULL, 0, NULL, NULL);
INSERT INTO dossier_steps VALUES (1, 1, 1, 1, '2021-03-08 10:15:42', '2021-03-08 15:45:42', '2021-03-08 15:00:00');
