-- A legacy-style schema: Vietnamese names, text dates (dd/mm/yyyy), free-text processing
-- times and a native timestamp.
CREATE TABLE dm_coquan (ma_coquan VARCHAR(20) PRIMARY KEY, ten_coquan VARCHAR(255));
CREATE TABLE dm_thutuc (thutuc_id INT PRIMARY KEY, ma_thutuc VARCHAR(30), ma_coquan VARCHAR(20),
  thoigian_giaiquyet VARCHAR(255), gio_tiepnhan_cuoi VARCHAR(5));
CREATE TABLE dm_thutuc_buoc (buoc_id INT PRIMARY KEY, thutuc_id INT, thoigian_xuly VARCHAR(100));
CREATE TABLE hs_hoso (hoso_id BIGINT PRIMARY KEY, ma_hoso VARCHAR(40), thutuc_id INT, ma_coquan VARCHAR(20),
  ngay_tiepnhan VARCHAR(19), ngay_hentra TIMESTAMP(0) NULL, han_xuly VARCHAR(19), ngay_hoanthanh VARCHAR(19),
  trang_thai VARCHAR(10), tre_han SMALLINT, so_lan_tamdung INT DEFAULT 0, ngay_hentra_lai VARCHAR(19),
  dong_bo_dvcqg SMALLINT DEFAULT 1,
  ngay_capnhat TIMESTAMP(0) NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE hs_hoso_buoc (id BIGINT PRIMARY KEY, hoso_id BIGINT, buoc_id INT, ngay_batdau VARCHAR(19),
  han_buoc VARCHAR(19), ngay_ketthuc VARCHAR(19));
