package seed

// This file holds the fixed part of the synthetic province: its agencies and the names of the
// procedures they offer. Names follow the style of the national procedure catalogue; the
// province and its districts are invented.

// agencyTemplate describes one agency of the synthetic province.
type agencyTemplate struct {
	name  string
	kind  string // "department" or "district"
	procs []procTemplate
}

// procTemplate describes a procedure an agency offers. An empty time is drawn from the
// weighted distribution of processing times; volume weighs how many dossiers it receives.
type procTemplate struct {
	name   string
	time   string
	cutoff bool // same-day procedure with a 15:00 cut-off
	volume int
}

// Agency kinds, as stored in agencies.kind.
const (
	kindDepartment = "department"
	kindDistrict   = "district"
)

// provinceCode prefixes agency codes. H99 is not the code of any real province.
const provinceCode = "H99"

// departments are the provincial departments and boards (sở, ban ngành cấp tỉnh).
var departments = []agencyTemplate{
	{name: "Sở Tư pháp", procs: []procTemplate{
		{name: "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam", time: "10d", volume: 40},
		{name: "Cấp Phiếu lý lịch tư pháp cho cơ quan tiến hành tố tụng", volume: 6},
		{name: "Đăng ký hoạt động của Văn phòng công chứng", volume: 1},
		{name: "Thay đổi nội dung đăng ký hoạt động của Văn phòng công chứng", volume: 1},
		{name: "Cấp Thẻ công chứng viên", volume: 1},
		{name: "Đăng ký hành nghề luật sư với tư cách cá nhân", volume: 1},
		{name: "Đăng ký hoạt động của tổ chức hành nghề luật sư", volume: 1},
		{name: "Đăng ký hoạt động của doanh nghiệp đấu giá tài sản", volume: 1},
		{name: "Cấp chứng chỉ hành nghề quản tài viên", volume: 1},
		{name: "Thành lập Trung tâm tư vấn pháp luật", volume: 1},
		{name: "Bổ nhiệm giám định viên tư pháp", volume: 1},
	}},
	{name: "Sở Kế hoạch và Đầu tư", procs: []procTemplate{
		{name: "Đăng ký thành lập doanh nghiệp tư nhân", time: "3d", volume: 12},
		{name: "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên", time: "3d", volume: 25},
		{name: "Đăng ký thành lập công ty cổ phần", time: "3d", volume: 8},
		{name: "Đăng ký thay đổi nội dung đăng ký doanh nghiệp", time: "3d", volume: 35},
		{name: "Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo", time: "3d", volume: 10},
		{name: "Giải thể doanh nghiệp", volume: 4},
		{name: "Đăng ký hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh", time: "3d", volume: 10},
		{name: "Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu tư", volume: 2},
		{name: "Điều chỉnh Giấy chứng nhận đăng ký đầu tư", volume: 2},
		{name: "Chấp thuận chủ trương đầu tư của Ủy ban nhân dân cấp tỉnh", volume: 1},
	}},
	{name: "Sở Tài nguyên và Môi trường", procs: []procTemplate{
		{name: "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", volume: 20},
		{name: "Cấp đổi Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất", volume: 12},
		{name: "Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất", time: "0.5d", volume: 25},
		{name: "Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất", time: "0.5d", volume: 20},
		{name: "Cung cấp dữ liệu đất đai", time: "2d", volume: 6},
		{name: "Cấp giấy phép khai thác, sử dụng nước dưới đất", volume: 1},
		{name: "Cấp giấy phép thăm dò khoáng sản", volume: 1},
		{name: "Thẩm định, phê duyệt báo cáo đánh giá tác động môi trường", time: "30cd", volume: 1},
		{name: "Cấp giấy phép xả nước thải vào nguồn nước", volume: 1},
		{name: "Giao đất, cho thuê đất không thông qua đấu giá quyền sử dụng đất đối với tổ chức", volume: 1},
		{name: "Chuyển mục đích sử dụng đất đối với tổ chức", volume: 1},
	}},
	{name: "Sở Xây dựng", procs: []procTemplate{
		{name: "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II", time: "20d", volume: 3},
		{name: "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III", time: "20d", volume: 6},
		{name: "Cấp chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III", volume: 3},
		{name: "Thẩm định Báo cáo nghiên cứu khả thi đầu tư xây dựng", volume: 2},
		{name: "Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở", volume: 2},
		{name: "Cấp giấy phép di dời công trình", volume: 1},
		{name: "Cấp lại chứng chỉ hành nghề hoạt động xây dựng", volume: 2},
		{name: "Điều chỉnh, gia hạn giấy phép xây dựng", volume: 1},
		{name: "Thông báo nhà ở hình thành trong tương lai đủ điều kiện được bán, cho thuê mua", volume: 1},
	}},
	{name: "Sở Giao thông vận tải", procs: []procTemplate{
		{name: "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", time: "5d", volume: 45},
		{name: "Cấp lại giấy phép lái xe", time: "10d", volume: 6},
		{name: "Cấp giấy phép kinh doanh vận tải bằng xe ô tô", time: "5d", volume: 4},
		{name: "Cấp phù hiệu xe ô tô kinh doanh vận tải", time: "2d", volume: 20},
		{name: "Cấp giấy phép lái xe quốc tế", time: "5d", volume: 3},
		{name: "Cấp giấy phép thi công công trình trên đường bộ đang khai thác", volume: 2},
		{name: "Cấp giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn trên đường bộ", time: "2d", volume: 3},
		{name: "Đăng ký phương tiện thủy nội địa lần đầu", volume: 1},
		{name: "Cấp giấy phép đào tạo lái xe ô tô", volume: 1},
		{name: "Chấp thuận xây dựng công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ", volume: 1},
	}},
	{name: "Sở Y tế", procs: []procTemplate{
		{name: "Cấp giấy phép hoạt động đối với phòng khám chuyên khoa", volume: 2},
		{name: "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh đối với người Việt Nam", volume: 8},
		{name: "Cấp chứng chỉ hành nghề dược", volume: 6},
		{name: "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược đối với nhà thuốc, quầy thuốc", volume: 6},
		{name: "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", time: "20d", volume: 4},
		{name: "Cấp giấy xác nhận nội dung quảng cáo thực phẩm", volume: 2},
		{name: "Cấp lại chứng chỉ hành nghề khám bệnh, chữa bệnh bị mất hoặc hư hỏng", volume: 1},
		{name: "Công bố đủ điều kiện thực hiện hoạt động quan trắc môi trường lao động", volume: 1},
		{name: "Cấp giấy phép hoạt động đối với trạm y tế cấp xã", volume: 1},
	}},
	{name: "Sở Giáo dục và Đào tạo", procs: []procTemplate{
		{name: "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", time: "0d", cutoff: true, volume: 10},
		{name: "Chỉnh sửa nội dung văn bằng, chứng chỉ", volume: 2},
		{name: "Công nhận văn bằng tốt nghiệp các cấp học phổ thông do cơ sở nước ngoài cấp", volume: 1},
		{name: "Cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục", volume: 1},
		{name: "Thành lập trung tâm ngoại ngữ, tin học", volume: 1},
		{name: "Cấp giấy phép tổ chức hoạt động dạy thêm, học thêm", volume: 2},
		{name: "Cho phép trường trung học phổ thông hoạt động giáo dục", volume: 1},
		{name: "Chuyển trường đối với học sinh trung học phổ thông", time: "1d", volume: 6},
	}},
	{name: "Sở Lao động - Thương binh và Xã hội", procs: []procTemplate{
		{name: "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", time: "5d", volume: 8},
		{name: "Cấp lại giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", volume: 2},
		{name: "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động", volume: 2},
		{name: "Cấp giấy phép hoạt động dịch vụ việc làm của doanh nghiệp", volume: 1},
		{name: "Giải quyết hưởng trợ cấp thất nghiệp", time: "20d", volume: 20},
		{name: "Cấp giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp", volume: 1},
		{name: "Đăng ký nội quy lao động của doanh nghiệp", volume: 2},
		{name: "Cấp giấy phép hoạt động cho thuê lại lao động", volume: 1},
		{name: "Giải quyết chế độ ưu đãi đối với người có công với cách mạng", volume: 3},
	}},
	{name: "Sở Công Thương", procs: []procTemplate{
		{name: "Cấp Giấy phép bán buôn sản phẩm rượu", volume: 1},
		{name: "Cấp Giấy phép bán buôn sản phẩm thuốc lá", volume: 1},
		{name: "Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu", volume: 2},
		{name: "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm thuộc ngành Công Thương", volume: 2},
		{name: "Đăng ký tổ chức hội chợ, triển lãm thương mại", volume: 1},
		{name: "Đăng ký thực hiện khuyến mại", time: "4h", volume: 8},
		{name: "Cấp Giấy phép hoạt động điện lực", volume: 1},
		{name: "Cấp Giấy chứng nhận đủ điều kiện cửa hàng bán khí dầu mỏ hóa lỏng chai", volume: 1},
		{name: "Cấp Giấy phép sử dụng vật liệu nổ công nghiệp", volume: 1},
	}},
	{name: "Sở Nông nghiệp và Phát triển nông thôn", procs: []procTemplate{
		{name: "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông lâm thủy sản", volume: 2},
		{name: "Kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn cấp tỉnh", time: "8h", volume: 10},
		{name: "Cấp Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật", volume: 2},
		{name: "Cấp Giấy chứng nhận đủ điều kiện buôn bán phân bón", volume: 2},
		{name: "Cấp văn bản chấp thuận đóng mới, cải hoán tàu cá", volume: 1},
		{name: "Cấp Giấy chứng nhận an toàn kỹ thuật tàu cá", volume: 1},
		{name: "Phê duyệt phương án khai thác thực vật rừng thông thường", volume: 1},
		{name: "Cấp giấy phép cho các hoạt động trong phạm vi bảo vệ công trình thủy lợi", volume: 1},
		{name: "Cấp chứng chỉ hành nghề thú y", volume: 1},
	}},
	{name: "Sở Tài chính", procs: []procTemplate{
		{name: "Cấp mã số đơn vị có quan hệ với ngân sách", time: "2d", volume: 6},
		{name: "Đăng ký giá của các doanh nghiệp thuộc phạm vi cấp tỉnh", volume: 2},
		{name: "Quyết định giá thuộc thẩm quyền của Ủy ban nhân dân cấp tỉnh", volume: 1},
		{name: "Thanh lý tài sản công", volume: 1},
		{name: "Điều chuyển tài sản công", volume: 1},
		{name: "Quyết định mua sắm tài sản công phục vụ hoạt động của cơ quan, tổ chức, đơn vị", volume: 1},
	}},
	{name: "Sở Nội vụ", procs: []procTemplate{
		{name: "Thẩm định thành lập đơn vị sự nghiệp công lập", volume: 1},
		{name: "Công nhận ban vận động thành lập hội", volume: 1},
		{name: "Phê duyệt điều lệ hội", volume: 1},
		{name: "Cấp giấy phép thành lập và công nhận điều lệ quỹ xã hội, quỹ từ thiện", volume: 1},
		{name: "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân cấp tỉnh", volume: 4},
		{name: "Đăng ký sinh hoạt tôn giáo tập trung", volume: 1},
		{name: "Chấp thuận tổ chức cuộc lễ ngoài cơ sở tôn giáo, địa điểm hợp pháp đã đăng ký", volume: 1},
	}},
	{name: "Sở Văn hóa, Thể thao và Du lịch", procs: []procTemplate{
		{name: "Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", volume: 2},
		{name: "Cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa", volume: 1},
		{name: "Cấp thẻ hướng dẫn viên du lịch nội địa", volume: 2},
		{name: "Công nhận hạng cơ sở lưu trú du lịch hạng 1 sao, 2 sao, 3 sao", volume: 1},
		{name: "Cấp Giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao", volume: 1},
		{name: "Cấp giấy phép triển lãm mỹ thuật", volume: 1},
		{name: "Cấp giấy phép xây dựng tượng đài, tranh hoành tráng", volume: 1},
		{name: "Đăng ký tổ chức lễ hội cấp tỉnh", volume: 1},
	}},
	{name: "Sở Thông tin và Truyền thông", procs: []procTemplate{
		{name: "Cấp giấy phép xuất bản bản tin", volume: 1},
		{name: "Cấp giấy phép hoạt động in", volume: 1},
		{name: "Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp", volume: 1},
		{name: "Cấp giấy xác nhận đăng ký hoạt động phát hành xuất bản phẩm", volume: 1},
		{name: "Cấp giấy phép nhập khẩu xuất bản phẩm không kinh doanh", volume: 1},
		{name: "Đăng ký hoạt động cơ sở in", volume: 1},
		{name: "Cấp Giấy chứng nhận đủ điều kiện hoạt động điểm cung cấp dịch vụ trò chơi điện tử công cộng", volume: 1},
	}},
	{name: "Sở Khoa học và Công nghệ", procs: []procTemplate{
		{name: "Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", volume: 1},
		{name: "Cấp giấy phép tiến hành công việc bức xạ sử dụng thiết bị X-quang chẩn đoán trong y tế", volume: 2},
		{name: "Cấp chứng chỉ nhân viên bức xạ", volume: 1},
		{name: "Đăng ký hợp đồng chuyển giao công nghệ", volume: 1},
		{name: "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ", volume: 1},
		{name: "Tiếp nhận bản công bố hợp quy", volume: 2},
	}},
	{name: "Ban Quản lý các Khu công nghiệp", procs: []procTemplate{
		{name: "Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án trong khu công nghiệp", volume: 1},
		{name: "Điều chỉnh Giấy chứng nhận đăng ký đầu tư đối với dự án trong khu công nghiệp", volume: 2},
		{name: "Cấp giấy phép lao động cho người lao động nước ngoài làm việc trong khu công nghiệp", volume: 3},
		{name: "Cấp giấy phép xây dựng công trình trong khu công nghiệp", volume: 1},
		{name: "Đăng ký nội quy lao động của doanh nghiệp trong khu công nghiệp", volume: 1},
		{name: "Cấp Giấy phép kinh doanh cho tổ chức kinh tế có vốn đầu tư nước ngoài", volume: 1},
	}},
	{name: "Thanh tra tỉnh", procs: []procTemplate{
		{name: "Giải quyết khiếu nại lần đầu", time: "30cd", volume: 1},
		{name: "Giải quyết khiếu nại lần hai", time: "30cd", volume: 1},
		{name: "Giải quyết tố cáo", time: "30cd", volume: 1},
		{name: "Tiếp nhận yêu cầu giải trình", time: "15cd", volume: 1},
	}},
	{name: "Sở Ngoại vụ", procs: []procTemplate{
		{name: "Cho phép tổ chức hội nghị, hội thảo quốc tế", volume: 1},
		{name: "Cho phép sử dụng thẻ đi lại của doanh nhân APEC", volume: 2},
		{name: "Tiếp nhận, giải quyết việc mời khách nước ngoài vào làm việc", volume: 1},
	}},
	{name: "Ban Dân tộc", procs: []procTemplate{
		{name: "Công nhận người có uy tín trong đồng bào dân tộc thiểu số", volume: 1},
		{name: "Đưa ra khỏi danh sách người có uy tín trong đồng bào dân tộc thiểu số", volume: 1},
		{name: "Hỗ trợ phát triển sản xuất vùng đồng bào dân tộc thiểu số", volume: 1},
	}},
}

// districtNames are the invented district-level units of the province, each with its People's
// Committee (UBND huyện, thị xã, thành phố).
var districtNames = []string{
	"UBND thành phố Lam Giang",
	"UBND thị xã Bạch Thủy",
	"UBND huyện Kim Lãng",
	"UBND huyện Ngọc Tuyền",
	"UBND huyện Phù Sa",
	"UBND huyện Cẩm Nguyên",
	"UBND huyện Vân Khê",
}

// districtProcs are offered by every district People's Committee. Their processing times are
// drawn once and shared, as the national catalogue sets them.
var districtProcs = []procTemplate{
	{name: "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của nước ngoài cấp", time: "0d", cutoff: true, volume: 30},
	{name: "Chứng thực chữ ký trong các giấy tờ, văn bản", time: "0d", cutoff: true, volume: 20},
	{name: "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", time: "2d", volume: 8},
	{name: "Cấp bản sao trích lục hộ tịch", time: "0d", cutoff: true, volume: 12},
	{name: "Đăng ký khai sinh có yếu tố nước ngoài", volume: 1},
	{name: "Đăng ký kết hôn có yếu tố nước ngoài", time: "15d", volume: 1},
	{name: "Thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc", time: "3d", volume: 6},
	{name: "Cấp Giấy chứng nhận đăng ký hộ kinh doanh", time: "3d", volume: 20},
	{name: "Thay đổi nội dung đăng ký hộ kinh doanh", time: "3d", volume: 8},
	{name: "Cấp giấy phép xây dựng nhà ở riêng lẻ", time: "15d", volume: 18},
	{name: "Đăng ký biến động quyền sử dụng đất do chuyển nhượng, tặng cho, thừa kế", time: "10d", volume: 30},
	{name: "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền đối với hộ gia đình, cá nhân", time: "15d", volume: 6},
	{name: "Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận lần đầu", time: "30d", volume: 12},
	{name: "Tách thửa hoặc hợp thửa đất", time: "15d", volume: 8},
	{name: "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn uống", volume: 2},
	{name: "Cấp Giấy phép bán lẻ rượu", volume: 2},
	{name: "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng", volume: 5},
	{name: "Cho phép nhóm trẻ, lớp mẫu giáo độc lập hoạt động giáo dục", volume: 1},
	{name: "Giải quyết khiếu nại lần đầu tại cấp huyện", time: "30cd", volume: 1},
	{name: "Đăng ký hoạt động tín ngưỡng", time: "15cd", volume: 1},
}

// stepNames are the workflow step names by number of steps.
var stepNames = map[int][]string{
	2: {"Tiếp nhận và thẩm định hồ sơ", "Phê duyệt và trả kết quả"},
	3: {"Tiếp nhận hồ sơ", "Thẩm định hồ sơ", "Phê duyệt, trả kết quả"},
	4: {"Tiếp nhận hồ sơ", "Thẩm định hồ sơ", "Trình lãnh đạo phê duyệt", "Trả kết quả"},
}

// stepShares weigh how a procedure's time is split among its steps: the review takes most.
var stepShares = map[int][]int{
	2: {60, 40},
	3: {10, 65, 25},
	4: {10, 55, 25, 10},
}

// badProcedures are the procedures whose processing time the legacy system stored unusable:
// one NULL, one with a unit nobody knows. Each receives a few dossiers.
var badProcedures = []struct {
	agency int // index into the agency list
	name   string
	time   string // "" stands for NULL
}{
	{agency: 8, name: "Cấp Giấy phép bán buôn sản phẩm rượu tiêu thụ tại địa phương", time: ""},
	{agency: 21, name: "Xác nhận tình trạng nhà ở đối với hộ gia đình, cá nhân", time: "5xyz"},
}
