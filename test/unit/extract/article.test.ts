import { describe, expect, it } from 'vitest';
import { extractArticle, extractFromBytes } from '../../../crawlers/extract/index.ts';
import { ExtractedArticle } from '../../../model/records.ts';
import { fixture, toWindows1258 } from './helpers.ts';

const now = new Date('2026-11-25T00:00:00+07:00');

interface Case {
  file: string;
  url: string;
  title: string;
  sapo: string | null;
  paragraphs: number;
  first: string;
  last: string;
  author: string | null;
  publishedAt: string | null;
  modifiedAt: string | null;
  extra?: Partial<Pick<ExtractedArticle, 'section' | 'tags' | 'image' | 'canonicalUrl' | 'lang'>>;
  /** Text that must not appear anywhere in the body. */
  absent?: string[];
}

const cases: Case[] = [
  {
    file: 'national-jsonld.html',
    url: 'https://tinnhanh.vn/thoi-su/sat-lo-bo-kenh-rach-gia-4801234.html?utm_source=fb&fbclid=abc',
    title: 'Sạt lở bờ kênh Rạch Giá, hàng chục hộ dân phải di dời khẩn cấp',
    sapo: 'An Giang - Đoạn bờ kênh dài khoảng 60 m ở phường Rạch Giá bị sạt lở trong đêm, UBND tỉnh An Giang yêu cầu di dời 24 hộ dân ra khỏi vùng nguy hiểm.',
    paragraphs: 4,
    first:
      'Khoảng 23h ngày 22/11, người dân sống ven kênh Rạch Sỏi nghe tiếng động lớn rồi thấy một đoạn bờ kênh sụp xuống, kéo theo hai căn nhà tạm và một phần đường bê tông.',
    last: 'UBND tỉnh An Giang đã chỉ đạo các sở, ngành khảo sát toàn bộ tuyến kênh, đề xuất phương án kè khẩn cấp và hỗ trợ mỗi hộ phải di dời 5 triệu đồng.',
    author: 'Minh Khoa',
    publishedAt: '2026-11-23T08:30:00+07:00',
    modifiedAt: '2026-11-23T10:05:00+07:00',
    extra: {
      canonicalUrl: 'https://tinnhanh.vn/thoi-su/sat-lo-bo-kenh-rach-gia-4801234.html',
      section: 'Thời sự',
      tags: ['Sạt lở', 'An Giang', 'Rạch Giá'],
      image: {
        url: 'https://i1.tinnhanh-cdn.vn/2026/11/23/sat-lo-kenh-1732329000.jpg?w=1200&h=0&q=100&dpr=1&fit=crop&s=AbCdEf',
        caption: 'Đoạn bờ kênh bị sạt lở tại phường Rạch Giá, sáng 23/11. Ảnh: Minh Khoa',
      },
      lang: 'vi',
    },
    absent: [
      'Nguy cơ sạt lở mùa mưa',
      'Ảnh: Minh Khoa',
      'Chính quyền cần kiểm tra lại',
      'Giá vàng',
      'Chia sẻ',
    ],
  },
  {
    file: 'provincial-table.html',
    url: 'https://baoangiang.com.vn/tin-tuc.aspx?id=12345&zarsrc=31',
    title: 'Kiên Lương: Nông dân thu hoạch lúa Thu Đông đạt năng suất cao',
    sapo: 'Những ngày này, nông dân huyện Kiên Lương đang khẩn trương thu hoạch lúa Thu Đông, năng suất bình quân đạt hơn 6 tấn/ha, giá bán ổn định nên người trồng lúa có lãi khá.',
    paragraphs: 3,
    first:
      'Theo Phòng Nông nghiệp huyện Kiên Lương, vụ Thu Đông năm nay toàn huyện xuống giống hơn 8.500 ha, đến nay đã thu hoạch được khoảng 3.200 ha, tập trung ở các xã Bình An, Bình Trị và Hòa Điền.',
    last: 'Để bảo đảm tiến độ, địa phương đã huy động 45 máy gặt đập liên hợp, đồng thời khuyến cáo bà con phơi sấy kịp thời, tránh để lúa ẩm mốc khi gặp mưa trái mùa.',
    author: 'Thanh Tâm',
    publishedAt: '2024-10-15T14:35:00+07:00',
    modifiedAt: null,
    extra: {
      // canonical points at the home page (CMS bug): ignored
      canonicalUrl: 'https://baoangiang.com.vn/tin-tuc.aspx?id=12345',
      section: 'Kinh tế',
      image: {
        url: 'https://baoangiang.com.vn/Uploads/2024/10/15/lua-thu-dong.jpg',
        caption: 'Nông dân xã Bình An thu hoạch lúa bằng máy gặt đập liên hợp',
      },
    },
    absent: ['máy gặt đập liên hợp\n', 'Hòn Đất', 'Các tin khác', 'Khánh thành cầu', 'Giấy phép'],
  },
  {
    file: 'radio-tv-video.html',
    url: 'https://ptthquangngai.vn/thoi-su/khoi-cong-tuyen-duong-123.html',
    title: 'Quảng Ngãi: Khởi công tuyến đường kết nối Kon Tum - Dung Quất',
    sapo: '(PTQN) - Sáng nay (23/11), UBND tỉnh Quảng Ngãi tổ chức lễ khởi công tuyến đường dài 42 km nối khu vực phía tây của tỉnh với Khu kinh tế Dung Quất.',
    paragraphs: 4,
    first:
      'Tuyến đường có tổng vốn đầu tư hơn 2.100 tỷ đồng, đi qua địa bàn 9 xã của tỉnh, trong đó có 4 xã thuộc khu vực tỉnh Kon Tum cũ, dự kiến hoàn thành vào cuối năm 2028.',
    last: 'Đây là tuyến giao thông huyết mạch, góp phần rút ngắn thời gian vận chuyển hàng hóa từ vùng Tây Nguyên ra cảng biển Dung Quất, tạo động lực phát triển kinh tế - xã hội cho cả khu vực.',
    author: 'Bảo Ngọc - Văn Tâm',
    publishedAt: '2026-11-23T08:30:00+07:00',
    modifiedAt: null,
    extra: {
      section: 'Thời sự',
      image: {
        url: 'https://ptthquangngai.vn/media/2026/11/khoi-cong-duong.jpg',
        caption: 'Các đại biểu thực hiện nghi thức khởi công công trình',
      },
    },
    absent: [
      'Trình duyệt',
      'Đang phát',
      'nghi thức khởi công',
      'Google News',
      'Tin cùng chuyên mục',
      'Lịch phát sóng',
      'Chia sẻ',
    ],
  },
  {
    file: 'magazine-author-end.html',
    url: 'https://tapchidiaphuong.vn/nghien-cuu/chuyen-doi-so-cap-xa-2211.html',
    title: 'Chuyển đổi số cấp xã sau sắp xếp: Những việc cần làm ngay',
    sapo: 'Sau khi bỏ cấp huyện, chính quyền cấp xã trở thành nơi trực tiếp giải quyết phần lớn thủ tục hành chính cho người dân. Chuyển đổi số vì thế không còn là khẩu hiệu mà là điều kiện để bộ máy mới vận hành.',
    paragraphs: 8, // 6 paragraphs + 2 crossheads
    first:
      'Từ ngày 1/7/2025, cả nước chính thức vận hành mô hình chính quyền địa phương hai cấp. Khối lượng công việc trước đây do cấp huyện đảm nhận nay được chuyển phần lớn về cấp xã, trong khi đội ngũ cán bộ ở nhiều nơi chưa được bổ sung tương xứng.',
    last: 'Có thể nói, chuyển đổi số ở cấp xã là phép thử đối với năng lực quản trị của chính quyền mới. Làm tốt việc này, bộ máy tinh gọn mới thực sự phục vụ người dân tốt hơn.',
    author: 'TS. Lê Hoàng Nam',
    publishedAt: '2026-11-23T08:30:00+07:00',
    modifiedAt: '2026-11-24T07:00:00+07:00',
    extra: {
      section: 'Nghiên cứu - Trao đổi',
      tags: ['chuyển đổi số', 'chính quyền cấp xã', 'thủ tục hành chính'],
      image: null,
    },
    absent: ['Học viện Hành chính', 'Từ khóa', 'Bài học từ thực tiễn', 'Giấy phép'],
  },
  {
    file: 'wordpress.html',
    url: 'https://tanhoi.example.gov.vn/2026/11/hoi-nong-dan-nuoi-ong/',
    title: 'Hội Nông dân xã Tân Hội ra mắt mô hình nuôi ong lấy mật',
    sapo: 'Mô hình nuôi ong lấy mật với 12 hộ tham gia được kỳ vọng mở ra hướng thoát nghèo bền vững cho nông dân địa phương.',
    paragraphs: 3,
    first:
      'Ngày 19/11, Hội Nông dân xã Tân Hội phối hợp với Trung tâm Khuyến nông tỉnh tổ chức lễ ra mắt mô hình nuôi ong lấy mật tại ấp Tân Phú, với sự tham gia của 12 hộ hội viên.',
    last: 'Theo ông Lê Văn Sáu, Chủ tịch Hội Nông dân xã, nếu mô hình đạt hiệu quả, hội sẽ kiến nghị UBND xã nhân rộng ra các ấp khác và liên kết với doanh nghiệp để bao tiêu sản phẩm.',
    author: 'Phạm Thị Hồng Nhung',
    publishedAt: '2026-11-20T09:15:00+07:00',
    modifiedAt: '2026-11-20T10:00:00+07:00',
    extra: {
      section: 'Kinh tế - Xã hội',
      tags: ['nông dân', 'nuôi ong', 'giảm nghèo'],
      image: {
        url: 'https://tanhoi.example.gov.vn/wp-content/uploads/2026/11/nuoi-ong-1024x683.jpg',
        caption: 'Các hộ tham gia mô hình nhận thùng ong giống',
      },
      // <html lang="en-US"> from the theme, but the text is Vietnamese
      lang: 'vi',
    },
    absent: ['Chia sẻ', 'Có liên quan', 'tiếp xúc cử tri', 'bình luận', 'Bài trước', 'thùng ong giống\n'],
  },
  {
    file: 'no-dates.html',
    url: 'https://ninhbinh.gov.vn/tin-tuc/gioi-thieu-quy-trinh-tiep-nhan-phan-anh.html',
    title: 'Giới thiệu quy trình tiếp nhận phản ánh, kiến nghị của người dân',
    sapo: null,
    paragraphs: 4,
    first:
      'Nhằm nâng cao chất lượng phục vụ, UBND tỉnh Ninh Bình ban hành quy trình tiếp nhận, xử lý phản ánh, kiến nghị của người dân và doanh nghiệp về quy định hành chính trên địa bàn tỉnh.',
    last: 'Các sở, ngành, UBND cấp xã phải cử cán bộ đầu mối, cập nhật tình hình xử lý hằng tuần và chịu trách nhiệm trước Chủ tịch UBND tỉnh nếu để phản ánh quá hạn mà không có lý do chính đáng.',
    author: null,
    // the dates of "Các tin khác" must not be taken
    publishedAt: null,
    modifiedAt: null,
    absent: ['Các tin khác', 'Hội nghị triển khai', 'Cơ quan chủ quản'],
  },
  {
    file: 'sapo-meta-only.html',
    url: 'https://nldmientay.vn/phap-luat/triet-pha-duong-day-danh-bac-2026112219.htm',
    title: 'Công an tỉnh triệt phá đường dây đánh bạc qua mạng',
    sapo: 'Công an tỉnh An Giang vừa triệt phá đường dây đánh bạc trực tuyến với số tiền giao dịch hơn 300 tỉ đồng, bắt giữ 11 đối tượng.',
    paragraphs: 4,
    first:
      'Ngày 22/11, Phòng Cảnh sát hình sự Công an tỉnh An Giang cho biết đã phối hợp với các đơn vị nghiệp vụ triệt phá thành công một đường dây tổ chức đánh bạc dưới hình thức cá độ bóng đá qua mạng.',
    last: 'Vụ án đang được Cơ quan Cảnh sát điều tra Công an tỉnh An Giang tiếp tục mở rộng điều tra, xử lý theo quy định của pháp luật.',
    // meta author is the outlet's name: the visible byline wins
    author: 'Hoàng Phúc',
    publishedAt: '2026-11-22T19:45:00+07:00',
    modifiedAt: null,
    extra: { section: 'Pháp luật', tags: [] },
  },
  {
    file: 'related-in-body.html',
    url: 'https://danvietso.vn/xa-hoi/ha-noi-thi-diem-cap-phep-xay-dung-20261121083000.htm',
    title: 'Hà Nội thí điểm cấp phép xây dựng trực tuyến toàn trình',
    sapo: '(Dân Việt Số) - Từ tháng 12, người dân tại 5 phường của Hà Nội có thể nộp hồ sơ, nhận giấy phép xây dựng nhà ở riêng lẻ hoàn toàn qua mạng mà không phải đến cơ quan nhà nước.',
    paragraphs: 4,
    first:
      'Sở Xây dựng Hà Nội vừa ban hành kế hoạch thí điểm cấp giấy phép xây dựng trực tuyến toàn trình đối với nhà ở riêng lẻ tại các phường Hoàn Kiếm, Ba Đình, Cầu Giấy, Hà Đông và Long Biên.',
    last: 'Sau 6 tháng thí điểm, Sở Xây dựng sẽ đánh giá, báo cáo UBND thành phố xem xét nhân rộng ra toàn bộ 126 phường, xã trên địa bàn.',
    author: 'Vũ Lan',
    publishedAt: '2026-11-21T08:30:00+07:00',
    modifiedAt: null,
    extra: {
      section: 'Xã hội',
      tags: ['Cấp phép xây dựng', 'Dịch vụ công trực tuyến'],
      image: {
        url: 'https://cdnphoto.danvietso.vn/abcXYZ=/thumb_w/1020/2026/11/21/cap-phep-xay-dung-crop-1763690000.jpg',
        caption: 'Người dân làm thủ tục tại bộ phận một cửa phường Cầu Giấy (Ảnh: Vũ Lan).',
      },
    },
    absent: ['cắt giảm một nửa', 'Tin liên quan', 'Người dân làm thủ tục', 'ngại vì thao tác', 'Giá xăng'],
  },
  {
    file: 'inline-xem-them.html',
    url: 'https://tuoimoi.vn/kiem-tra-xang-dau-20261123083000123.htm',
    title: 'Kiểm tra hàng loạt cơ sở kinh doanh xăng dầu sau phản ánh của người dân',
    sapo: 'Sở Công Thương đã lập 6 đoàn kiểm tra đột xuất các cửa hàng xăng dầu sau khi nhận phản ánh về tình trạng bơm thiếu, gian lận đo lường.',
    paragraphs: 5,
    first:
      'Ngày 22/11, đại diện Sở Công Thương cho biết trong tuần qua, đường dây nóng của sở nhận được hơn 40 cuộc gọi phản ánh một số cửa hàng xăng dầu bơm thiếu so với số liệu hiển thị trên cột bơm.',
    last: 'Sở Công Thương khuyến cáo người dân khi phát hiện dấu hiệu gian lận cần giữ lại hóa đơn và gọi ngay đường dây nóng để được hỗ trợ kịp thời.',
    author: 'MINH CHÂU',
    publishedAt: '2026-11-23T08:30:00+07:00',
    modifiedAt: null,
    extra: {
      section: 'Thời sự',
      tags: ['Xăng dầu', 'Gian lận đo lường'],
      image: {
        url: 'https://cdn.tuoimoi.vn/thumb_w/1200/2026/11/23/kiem-tra-xang-dau-17323456789.jpg',
        caption: 'Đoàn kiểm tra làm việc tại một cửa hàng xăng dầu ở phường Long Xuyên - Ảnh: HỒNG PHÚC',
      },
    },
    absent: [
      'Xem thêm',
      'Đọc thêm',
      'Tin liên quan',
      'Giá xăng dầu hôm nay',
      'xử phạt hơn 100 vụ',
      'Cận cảnh',
      'Long Xuyên',
      '>>',
    ],
  },
  {
    file: 'captions-in-paragraphs.html',
    url: 'https://baoquangngaiso.vn/xa-hoi/nguoi-dan-vung-sau-don-dien-123456.htm',
    title: 'Người dân vùng sâu phấn khởi đón điện lưới quốc gia',
    sapo: '(BQN) - Sau nhiều năm chờ đợi, 68 hộ đồng bào dân tộc thiểu số ở làng Đăk Răng, xã Đăk Pxi đã có điện lưới quốc gia để sinh hoạt và sản xuất.',
    paragraphs: 4,
    first:
      'Làng Đăk Răng nằm cách trung tâm xã hơn 15 km, đường sá đi lại khó khăn, nhất là vào mùa mưa. Trước đây, người dân chủ yếu dùng máy phát điện nhỏ hoặc đèn dầu, chi phí cao mà ánh sáng không đủ.',
    last: 'Theo lãnh đạo UBND xã Đăk Pxi, sau khi có điện, xã sẽ phối hợp với ngành nông nghiệp hướng dẫn bà con phát triển chăn nuôi, trồng cây ăn quả và sâm dây để tăng thu nhập.',
    author: 'Thanh Bình',
    publishedAt: '2026-11-23T08:30:00+07:00',
    modifiedAt: null,
    extra: {
      image: {
        url: 'https://baoquangngaiso.vn/dataimages/202611/original/images123456_dien-luoi.jpg',
        caption: 'Công nhân ngành điện kéo dây về làng Đăk Răng.',
      },
    },
    // an italic phrase inside a real paragraph stays
    absent: ['Công nhân ngành điện kéo dây', 'Già làng A Thuân vui mừng', '(Ảnh:'],
  },
  {
    file: 'malformed.html',
    url: 'https://baodongbang.vn/moi-truong/xu-phat-doanh-nghiep-xa-thai-2211.html',
    title: 'Xử phạt doanh nghiệp xả thải ra sông Hậu',
    sapo: 'Doanh nghiệp chế biến thủy sản bị phạt 320 triệu đồng vì xả nước thải chưa qua xử lý ra sông Hậu.',
    paragraphs: 4,
    first:
      'Ngày 19/11, UBND tỉnh ban hành quyết định xử phạt vi phạm hành chính đối với một công ty chế biến thủy sản ở khu công nghiệp Trà Nóc với tổng số tiền 320 triệu đồng.',
    last: 'Người dân khu vực cho biết tình trạng nước sông đổi màu, bốc mùi đã kéo dài nhiều tháng, họ đã nhiều lần phản ánh đến chính quyền địa phương.',
    // JSON-LD with a raw newline and trailing commas still parses: authors array
    author: 'Quốc Việt, Hữu Nghĩa',
    publishedAt: '2026-11-19T16:20:00+07:00',
    modifiedAt: null,
    absent: ['Tin khác', 'rác thải nhựa', 'Báo Đồng Bằng ©', 'Quốc Việt - Hữu Nghĩa'],
  },
  {
    file: 'amp.html',
    url: 'https://m.baodongnaiso.vn/amp/giao-thong/mo-rong-tuyen-xe-buyt-dien-ket-noi-san-bay-98765.html',
    title: 'Đồng Nai mở rộng tuyến xe buýt điện kết nối sân bay Long Thành',
    sapo: 'Từ đầu tháng 12, thành phố Đồng Nai đưa vào khai thác thêm 3 tuyến xe buýt điện, trong đó có tuyến kết nối trung tâm Biên Hòa với Cảng hàng không quốc tế Long Thành.',
    paragraphs: 3,
    first:
      'Theo Sở Xây dựng, ba tuyến mới có tổng chiều dài hơn 120 km, sử dụng 45 xe buýt điện sức chứa 60 chỗ, tần suất 15 phút một chuyến vào giờ cao điểm.',
    last: 'Việc mở rộng mạng lưới xe buýt điện nằm trong lộ trình chuyển đổi xanh phương tiện giao thông công cộng của thành phố đến năm 2030.',
    author: 'Hoàng Lộc',
    publishedAt: '2026-11-23T06:00:00+07:00',
    modifiedAt: null,
    extra: {
      canonicalUrl:
        'https://baodongnaiso.vn/giao-thong/mo-rong-tuyen-xe-buyt-dien-ket-noi-san-bay-98765.html',
      image: {
        url: 'https://baodongnaiso.vn/img/2026/11/xe-buyt-dien.jpg',
        caption: 'Xe buýt điện chạy thử nghiệm trên đường Võ Thị Sáu.',
      },
    },
    absent: ['Quảng cáo', 'Xem bản đầy đủ', 'chạy thử nghiệm'],
  },
  {
    file: 'js-rendered.html',
    url: 'https://ninhbinhso.vn/giao-duc/hoan-thanh-sap-nhap-truong-hoc-nb-0042.html',
    title: 'Ninh Bình: Hoàn thành sáp nhập trường học ở 12 xã',
    // the meta description only repeats the first paragraph: no sapo of its own
    sapo: null,
    // the page body is empty (filled by JavaScript): JSON-LD articleBody is used, one paragraph per line
    paragraphs: 4,
    first:
      'Sở Giáo dục và Đào tạo Ninh Bình cho biết việc sắp xếp 31 trường học tại 12 xã đã hoàn thành trước năm học mới.',
    last: 'Sở cũng đề nghị UBND các xã bố trí kinh phí sửa chữa phòng học, nhà vệ sinh trước mùa mưa bão năm sau.',
    author: 'Thu Trang',
    publishedAt: '2026-11-18T07:00:00+07:00',
    modifiedAt: '2026-11-18T09:12:00+07:00',
    extra: { section: 'Giáo dục', tags: ['giáo dục', 'sáp nhập trường', 'Ninh Bình'], lang: 'vi' },
    absent: ['Đang tải'],
  },
  {
    file: 'laodong-like.html',
    url: 'https://laodongmoi.vn/cong-doan/cong-nhan-chat-vat-tim-phong-tro-123456.ldo',
    title: 'Công nhân khu công nghiệp chật vật tìm phòng trọ cuối năm',
    sapo: 'Giá phòng trọ quanh các khu công nghiệp tăng 10-15% so với đầu năm, trong khi thu nhập của nhiều công nhân giảm do thiếu đơn hàng, khiến không ít người phải ở ghép 4-5 người một phòng.',
    paragraphs: 5,
    first:
      'Chị Lò Thị Mai, công nhân một công ty may ở khu công nghiệp Sóng Thần, cho biết căn phòng 12 m2 chị thuê chung với hai người bạn vừa tăng giá từ 1,8 lên 2,1 triệu đồng mỗi tháng, chưa kể tiền điện, nước.',
    last: 'Liên đoàn Lao động tỉnh cũng phối hợp với chủ nhà trọ ký cam kết giữ ổn định giá thuê đến hết tháng 2 năm sau, đổi lại công đoàn hỗ trợ kinh phí lắp đặt thiết bị phòng cháy chữa cháy.',
    author: 'Nhóm PV',
    publishedAt: '2026-11-22T06:05:00+07:00',
    modifiedAt: '2026-11-22T07:40:00+07:00',
    extra: { section: 'Công đoàn', lang: 'vi' },
    absent: ['Toàn màn hình', 'Video: Nhóm PV', 'Tin cùng chuyên mục', 'thưởng Tết sớm'],
  },
  {
    file: 'nfd.html',
    url: 'https://baohue.vn/xa-hoi/du-an-treo-123.html',
    title: 'Người dân bức xúc vì dự án treo hơn mười năm',
    sapo: 'Hơn mười năm sau khi có quyết định thu hồi đất, hàng trăm hộ dân ở phường Thủy Xuân vẫn chưa được bồi thường, không thể sửa chữa nhà cửa hay chuyển nhượng đất.',
    paragraphs: 3,
    first:
      'Ông Hoàng Văn Lực, 67 tuổi, chỉ vào những vết nứt trên tường căn nhà cấp bốn và cho biết gia đình ông không được cấp phép sửa chữa vì nằm trong vùng quy hoạch dự án khu dân cư từ năm 2015.',
    last: 'Trao đổi với phóng viên, đại diện Sở Xây dựng thừa nhận dự án chậm tiến độ kéo dài và cho biết sở đã tham mưu UBND thành phố xem xét thu hồi chủ trương đầu tư trong quý I năm sau.',
    author: 'Ngọc Hà',
    publishedAt: '2026-11-21T15:10:00+07:00',
    modifiedAt: null,
  },
];

describe('extractArticle on Vietnamese page shapes', () => {
  it.each(cases)('$file', (c) => {
    const a = extractArticle(fixture(c.file), { url: c.url, now });
    expect(() => ExtractedArticle.parse(a)).not.toThrow();
    expect(a.title).toBe(c.title);
    expect(a.sapo).toBe(c.sapo);
    const paras = (a.body ?? '').split('\n\n');
    expect(paras).toHaveLength(c.paragraphs);
    expect(paras[0]).toBe(c.first);
    expect(paras[paras.length - 1]).toBe(c.last);
    expect(a.author).toBe(c.author);
    expect(a.publishedAt).toBe(c.publishedAt);
    expect(a.modifiedAt).toBe(c.modifiedAt);
    for (const [k, v] of Object.entries(c.extra ?? {})) expect(a[k as keyof ExtractedArticle], k).toEqual(v);
    for (const s of c.absent ?? [])
      expect(a.body ?? '', `body must not contain ${JSON.stringify(s)}`).not.toContain(s);
    // the sapo is never repeated as the first paragraph
    if (a.sapo) expect(paras[0]).not.toBe(a.sapo);
    // every null field says why
    for (const k of [
      'title',
      'sapo',
      'body',
      'author',
      'publishedAt',
      'modifiedAt',
      'section',
      'image',
      'lang',
    ] as const) {
      if (a[k] === null) expect(a.missing[k], `missing.${k}`).toBeTruthy();
    }
    // all text is NFC with collapsed whitespace
    for (const t of [a.title, a.sapo, ...paras]) {
      if (t) {
        expect(t).toBe(t.normalize('NFC'));
        expect(t).not.toMatch(/\s{2,}|^\s|\s$/);
      }
    }
  });

  it('explains missing dates and a site-wide meta description', () => {
    const a = extractArticle(fixture('no-dates.html'), {
      url: 'https://ninhbinh.gov.vn/tin-tuc/a.html',
      now,
    });
    expect(a.missing.publishedAt).toMatch(/no publication date/);
    expect(a.missing.sapo).toMatch(/not about this article/);
    // site-wide SEO keywords are not tags
    expect(a.tags).not.toContain('tin tức');
    expect(a.tags).not.toContain('Cổng thông tin điện tử');
  });

  it('keeps NFD pages identical to their NFC version', () => {
    const nfd = fixture('nfd.html');
    expect(nfd).not.toBe(nfd.normalize('NFC'));
    const a = extractArticle(nfd, { url: 'https://baohue.vn/a.html', now });
    const b = extractArticle(nfd.normalize('NFC'), { url: 'https://baohue.vn/a.html', now });
    expect(a).toEqual(b);
  });

  it('notes a date given without a time', () => {
    const html = fixture('sapo-meta-only.html').replace('2026-11-22T19:45:00+07:00', '22/11/2026');
    const a = extractArticle(html, { url: 'https://nldmientay.vn/a.htm', now });
    expect(a.publishedAt).toBe('2026-11-22T00:00:00+07:00');
    expect(a.missing['publishedAt.time']).toMatch(/only the date/);
  });

  it('rejects an impossible date and falls back to the visible one', () => {
    const html = fixture('sapo-meta-only.html').replace(
      '2026-11-22T19:45:00+07:00',
      '2026-13-45T19:45:00+07:00',
    );
    const a = extractArticle(html, { url: 'https://nldmientay.vn/a.htm', now });
    expect(a.publishedAt).toBe('2026-11-22T19:45:00+07:00');
  });
});

describe('author vs outlet name', () => {
  it('keeps a person whose folded name looks like "Báo…" ("Bảo Trân"), drops the outlet', () => {
    const html = fixture('sapo-meta-only.html').replace(
      '<span class="detail-author">Hoàng Phúc</span>',
      '<span class="detail-author">Bảo Trân</span>',
    );
    expect(extractArticle(html, { url: 'https://nldmientay.vn/a.htm', now }).author).toBe('Bảo Trân');
    const org = fixture('sapo-meta-only.html').replace(
      '<span class="detail-author">Hoàng Phúc</span>',
      '<span class="detail-author">Báo Người Lao Động Miền Tây</span>',
    );
    expect(extractArticle(org, { url: 'https://nldmientay.vn/a.htm', now }).author).toBeNull();
  });
});

describe('windows-1258 pages', () => {
  it('decodes and extracts a legacy-encoded provincial page', () => {
    const html = fixture('provincial-table.html').replace('charset=utf-8', 'charset=windows-1258');
    const bytes = toWindows1258(html);
    const a = extractFromBytes(bytes, { url: 'https://baoangiang.com.vn/tin-tuc.aspx?id=12345', now });
    expect(a.charset).toBe('windows-1258');
    expect(a.title).toBe('Kiên Lương: Nông dân thu hoạch lúa Thu Đông đạt năng suất cao');
    expect(a.author).toBe('Thanh Tâm');
    expect(a.body?.split('\n\n')[1]).toBe(
      'Ông Nguyễn Văn Tư, nông dân ấp Tà Săng, xã Bình Trị, cho biết gia đình ông có 4 ha lúa, năng suất đạt 6,3 tấn/ha, thương lái mua tại ruộng với giá 7.200 đồng/kg, trừ chi phí còn lãi hơn 60 triệu đồng.',
    );
    expect(a.body).toBe(a.body?.normalize('NFC'));
  });
});

describe('site overrides', () => {
  it('uses selectors before the heuristics and removes what they name', () => {
    const a = extractArticle(fixture('laodong-like.html'), {
      url: 'https://laodongmoi.vn/a.ldo',
      now,
      overrides: {
        body: '.art-body',
        remove: ['.tbl-quote'],
        author: '.meta .author',
        publishedAt: { selector: '.meta .time' },
        section: '.breadcrumbs a:last-child',
      },
    });
    expect(a.body?.split('\n\n')).toHaveLength(4);
    expect(a.body).not.toContain('Công đoàn đang đề xuất');
    expect(a.author).toBe('Nhóm PV');
    expect(a.publishedAt).toBe('2026-11-22T06:05:00+07:00');
    expect(a.section).toBe('Đời sống công nhân');
  });

  it('rejects an invalid selector at the boundary', () => {
    expect(() => extractArticle('<p>x</p>', { url: 'https://a.vn/', overrides: { body: 'div[' } })).toThrow();
  });
});

describe('legacy and broken markup', () => {
  it('reads a bare table page: title in <font class="tieude">, date line and <br><br> paragraphs', () => {
    const html = `<html><head><title>Tin tức</title></head><body><table><tr>
      <td class="left"><a href="/a">Hội nghị tổng kết công tác dân vận năm 2026</a><br><a href="/b">Tuyên dương 50 gương điển hình tiên tiến</a></td>
      <td class="ct"><font class="tieude">Khai mạc hội chợ nông sản tỉnh năm 2026</font><br><i>Ngày đăng: 20/11/2026</i><br><br>
      Sáng 20/11, Sở Công Thương khai mạc Hội chợ nông sản tỉnh năm 2026 với sự tham gia của hơn 200 gian hàng đến từ các xã, hợp tác xã và doanh nghiệp trong tỉnh.<br><br>
      Hội chợ diễn ra đến hết ngày 26/11, giới thiệu nhiều sản phẩm OCOP, đặc sản địa phương như khô cá lóc, mắm cá linh, gạo thơm và trái cây theo mùa.<br><br>
      <b>Hồng Nhung</b></td></tr></table></body></html>`;
    const a = extractArticle(html, { url: 'https://sct.example.gov.vn/tin/123.html', now });
    expect(a.title).toBe('Khai mạc hội chợ nông sản tỉnh năm 2026');
    expect(a.publishedAt).toBe('2026-11-20T00:00:00+07:00');
    expect(a.author).toBe('Hồng Nhung');
    expect(a.body?.split('\n\n')).toEqual([
      'Sáng 20/11, Sở Công Thương khai mạc Hội chợ nông sản tỉnh năm 2026 với sự tham gia của hơn 200 gian hàng đến từ các xã, hợp tác xã và doanh nghiệp trong tỉnh.',
      'Hội chợ diễn ra đến hết ngày 26/11, giới thiệu nhiều sản phẩm OCOP, đặc sản địa phương như khô cá lóc, mắm cá linh, gạo thơm và trái cây theo mùa.',
    ]);
  });

  it('keeps paragraphs swallowed by an unclosed ad box, drops the box label and a stray "Xem thêm"', () => {
    const html = `<html><head><title>Ra quân lập lại trật tự vỉa hè</title></head><body><div class="detail">
      <h1 class="detail-title">Ra quân lập lại trật tự vỉa hè</h1>
      <div class="detail-content"><p>Sáng 19/11, tổ công tác liên ngành của phường đã ra quân kiểm tra các tuyến đường trung tâm, nơi tình trạng lấn chiếm vỉa hè để buôn bán diễn ra phổ biến.</p></div>
      <p>Tổ công tác tuyên truyền, nhắc nhở các hộ kinh doanh dọn dẹp hàng hóa, bảng hiệu lấn ra vỉa hè, đồng thời tháo dỡ hơn 40 mái che không đúng quy định.</p>
      <div class="ads-inread"><div class="ads-label">Quảng cáo</div>
      <p>Lãnh đạo phường cho biết đợt ra quân sẽ kéo dài đến hết tháng 12, sau giai đoạn tuyên truyền, trường hợp tái phạm sẽ bị lập biên bản xử phạt theo quy định.
      <div class="xem-them"><strong>&gt;&gt; Xem thêm:</strong> <a href="/x.html">Công nhân lo mất quyền lợi vì công ty nợ bảo hiểm</a></div>
      <p>Phường cũng nghiên cứu phân định phần vỉa hè được sử dụng tạm thời cho kinh doanh, vừa bảo đảm lối đi cho người đi bộ, vừa giúp người dân mưu sinh.</p>
      </div></body></html>`;
    const a = extractArticle(html, { url: 'https://baoangiang.com.vn/xa-hoi/a.html', now });
    const paras = a.body?.split('\n\n') ?? [];
    expect(paras).toHaveLength(4);
    expect(paras[2]).toMatch(/^Lãnh đạo phường cho biết/);
    expect(paras[3]).toMatch(/^Phường cũng nghiên cứu/);
    expect(a.body).not.toContain('Quảng cáo');
    expect(a.body).not.toContain('Xem thêm');
  });
});

describe('robustness', () => {
  it('handles empty and non-article input without throwing', () => {
    const a = extractArticle('', { url: 'https://a.vn/x.html', now });
    expect(a.title).toBeNull();
    expect(a.body).toBeNull();
    expect(a.missing.body).toBeTruthy();
    expect(a.canonicalUrl).toBe('https://a.vn/x.html');
  });

  it('extracts a 10 MB page quickly', () => {
    const base = fixture('national-jsonld.html');
    const filler = `<div class="comment_item"><p class="full_content">${'Bình luận của bạn đọc về vấn đề sạt lở, '.repeat(20)}</p></div>\n`;
    const script = `<script>var x = "${'a'.repeat(2_000_000)}";</script>`;
    const img = `<img src="data:image/png;base64,${'iVBORw0KGgo'.repeat(200_000)}">`;
    let html = base.replace(
      '</body>',
      `${script}${img}<div class="box_comment">${filler.repeat(Math.ceil(6_500_000 / filler.length))}</div></body>`,
    );
    expect(html.length).toBeGreaterThan(10_000_000);
    extractArticle(base, { url: 'https://tinnhanh.vn/a.html', now }); // warm the parser up
    const t = performance.now();
    const a = extractArticle(html, {
      url: 'https://tinnhanh.vn/thoi-su/sat-lo-bo-kenh-rach-gia-4801234.html',
      now,
    });
    const ms = performance.now() - t;
    expect(a.title).toBe('Sạt lở bờ kênh Rạch Giá, hàng chục hộ dân phải di dời khẩn cấp');
    expect(a.body?.split('\n\n')).toHaveLength(4);
    expect(ms).toBeLessThan(1500);
    html = '';
  });

  it('finds the article of a 10 MB page whose comments come first in the markup', () => {
    const base = fixture('national-jsonld.html');
    const filler = `<div class="comment_item"><p class="full_content">${'Bình luận của bạn đọc, rất dài và có nhiều dấu phẩy, '.repeat(15)}</p></div>\n`;
    const comments = `<div id="box_comment" class="box_comment">${filler.repeat(Math.ceil(10_200_000 / filler.length))}</div>`;
    const html = base.replace(
      '<section class="section page-detail top-detail">',
      `${comments}<section class="section page-detail top-detail">`,
    );
    expect(html.length).toBeGreaterThan(10_000_000);
    const t = performance.now();
    const a = extractArticle(html, {
      url: 'https://tinnhanh.vn/thoi-su/sat-lo-bo-kenh-rach-gia-4801234.html',
      now,
    });
    expect(performance.now() - t).toBeLessThan(1500);
    expect(a.body?.split('\n\n')).toHaveLength(4);
    expect(a.author).toBe('Minh Khoa');
  });
});
