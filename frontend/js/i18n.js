// Vietnamese wording of the API: one table of error codes (with the API's own `message` as the
// fallback), the labels of kinds, statuses, channels, roles, actions and clocks, and the names of
// the request fields used when a field error has no input beside which to show it.

/** API error code → what to tell the user. */
export const ERROR_MESSAGES = {
  // Transport and generic
  network_error: 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.',
  internal_error: 'Hệ thống gặp lỗi. Vui lòng thử lại sau ít phút.',
  bad_request: 'Yêu cầu không hợp lệ.',
  bad_body: 'Không đọc được dữ liệu gửi lên.',
  malformed_json: 'Dữ liệu gửi lên không đúng định dạng.',
  invalid_body: 'Dữ liệu gửi lên không hợp lệ.',
  invalid_query: 'Điều kiện tìm kiếm không hợp lệ.',
  page_too_deep: 'Trang quá sâu: hãy dùng nút « Trang sau » để xem tiếp.',
  invalid_path: 'Địa chỉ không hợp lệ.',
  unsupported_media_type: 'Dữ liệu gửi lên không đúng định dạng.',
  payload_too_large: 'Nội dung gửi lên quá lớn.',
  method_not_allowed: 'Thao tác không được hỗ trợ.',
  timeout: 'Máy chủ xử lý quá lâu. Vui lòng thử lại.',
  rate_limited: 'Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau.',
  too_many_attempts: 'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ít phút.',
  validation_failed: 'Thông tin chưa hợp lệ. Vui lòng sửa các ô được đánh dấu.',
  value_too_long: 'Có thông tin dài quá mức cho phép. Vui lòng rút gọn rồi gửi lại.',
  number_out_of_range: 'Có giá trị số nằm ngoài khoảng cho phép.',
  date_out_of_range: 'Có ngày tháng nằm ngoài khoảng cho phép. Vui lòng kiểm tra lại.',
  missing_value: 'Còn thiếu thông tin bắt buộc.',
  constraint_violation: 'Dữ liệu không phù hợp với thông tin đã có trong hệ thống.',
  // Accounts
  invalid_credentials: 'Tên đăng nhập hoặc mật khẩu không đúng.',
  account_disabled: 'Tài khoản đã bị khóa. Vui lòng liên hệ quản trị hệ thống.',
  invalid_token: 'Phiên đăng nhập không hợp lệ. Vui lòng đăng nhập lại.',
  token_expired: 'Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.',
  token_revoked: 'Phiên đăng nhập đã bị thu hồi (đổi mật khẩu hoặc tài khoản thay đổi). Vui lòng đăng nhập lại.',
  missing_token: 'Vui lòng đăng nhập để tiếp tục.',
  forbidden: 'Bạn không có quyền thực hiện thao tác này.',
  csrf_check_failed: 'Yêu cầu bị từ chối vì không gửi từ trang của hệ thống. Vui lòng tải lại trang rồi thử lại.',
  username_taken: 'Tên đăng nhập này đã có người dùng. Vui lòng chọn tên khác.',
  unit_code_taken: 'Mã đơn vị này đã được dùng.',
  no_unit: 'Tài khoản của bạn chưa thuộc đơn vị nào.',
  last_admin: 'Không thể khóa hoặc đổi vai trò của tài khoản quản trị cuối cùng.',
  // Records
  not_found: 'Không tìm thấy thông tin yêu cầu.',
  duplicate: 'Thông tin này đã tồn tại.',
  reference_missing: 'Thông tin tham chiếu không còn tồn tại.',
  concurrent_update: 'Hồ sơ vừa được người khác cập nhật. Trang đã tải lại dữ liệu mới; vui lòng kiểm tra rồi thao tác lại.',
  // Petitions
  invalid_transition: 'Không thể thực hiện thao tác này ở trạng thái hiện tại của hồ sơ.',
  extension_not_allowed: 'Hồ sơ này không được gia hạn thêm.',
  extension_too_long: 'Số ngày gia hạn vượt quá mức luật cho phép.',
  extension_zero_days: 'Số ngày gia hạn phải lớn hơn 0.',
  too_many_extensions: 'Hồ sơ đã được gia hạn đủ số lần luật cho phép.',
  extension_total_too_long: 'Tổng thời hạn sau gia hạn vượt quá mức luật cho phép.',
  partial_withdrawal_not_allowed: 'Hồ sơ này không được rút một phần.',
  dialogue_required: 'Khiếu nại lần hai phải tổ chức đối thoại và ghi biên bản trước khi ban hành quyết định.',
  continue_not_allowed: 'Chỉ tố cáo mới được tiếp tục giải quyết sau khi người tố cáo rút đơn.',
  already_forwarded: 'Đơn tố cáo chỉ được chuyển một lần; đơn này đã được chuyển nên không chuyển tiếp.',
  not_closed: 'Chỉ đánh giá được khi hồ sơ đã kết thúc xử lý.',
  already_rated: 'Hồ sơ này đã được đánh giá. Cảm ơn bạn!',
  // Reception
  delegation_not_allowed: 'Người đứng đầu không được ủy quyền cho cấp phó tiếp công dân định kỳ.',
  session_exists: 'Người này đã có buổi tiếp định kỳ trong ngày.',
  session_not_held: 'Buổi tiếp chưa được ghi nhận là đã tiếp (chưa có lượt tiếp nào): ghi lượt tiếp hoặc đánh dấu đã tiếp trước khi ban hành kết luận.',
  session_has_visits: 'Buổi tiếp đã có lượt tiếp ghi trong sổ: không hủy, không đổi ngày, địa điểm hay người chủ trì được nữa.',
  already_concluded: 'Buổi tiếp đã có thông báo kết luận.',
  notice_already_sent: 'Văn bản này đã được ghi nhận là đã gửi.',
  apology_not_due: 'Hồ sơ chưa quá hạn (hoặc là đơn nặc danh): chưa cần thư xin lỗi.',
  apology_already_issued: 'Hồ sơ đã có thư xin lỗi.',
  notice_not_required: 'Trường hợp này không cần thông báo bằng văn bản.',
  // Attachments
  unsupported_type: 'Chỉ nhận tệp PDF, ảnh JPEG hoặc PNG. Tệp này không phải một trong các loại đó (hệ thống kiểm tra nội dung tệp, không dựa vào tên tệp).',
  file_too_large: 'Tệp quá lớn: mỗi tệp tối đa 10 MB. Hãy chụp hoặc quét lại với độ phân giải thấp hơn, hoặc chia thành nhiều tệp.',
  case_attachments_full: 'Hồ sơ đã đủ tệp đính kèm (tối đa 50 MB và 100 tệp mỗi hồ sơ). Hãy liên hệ cán bộ xử lý nếu cần nộp thêm.',
  empty_file: 'Tệp rỗng, không có nội dung. Hãy chọn lại tệp.',
  attachment_window_closed: 'Đã quá 24 giờ kể từ khi gửi đơn nên không thể gửi thêm tài liệu qua cổng. Hãy gửi tài liệu cho cán bộ xử lý hồ sơ.',
  bad_multipart: 'Không đọc được tệp gửi lên. Vui lòng chọn lại tệp và gửi lại.',
  upload_interrupted: 'Việc gửi tệp bị gián đoạn. Vui lòng kiểm tra mạng và gửi lại.',
  below_legal_minimum: 'Lịch tiếp thấp hơn mức tối thiểu luật định (Luật Tiếp công dân 2013: cấp xã ít nhất 01 ngày mỗi tuần, cấp tỉnh ít nhất 01 ngày mỗi tháng). Ghi rõ lý do để lưu lịch này.',
};

/** Codes whose API message is more precise than our generic sentence (it names the rule, or how long to wait). */
const PREFER_API_MESSAGE = new Set(['invalid_transition', 'delegation_not_allowed', 'extension_too_long', 'extension_not_allowed',
  'too_many_extensions', 'extension_total_too_long', 'partial_withdrawal_not_allowed', 'continue_not_allowed', 'dialogue_required',
  'invalid_query', 'below_legal_minimum', 'session_has_visits', 'rate_limited', 'too_many_attempts']);

/** What a new password must be (the server's rules, issue 17), shown beside every new-password field. */
export const PASSWORD_HINT = 'Ít nhất 10 ký tự, gồm ít nhất hai loại: chữ thường, chữ hoa, chữ số, ký hiệu hoặc dấu cách; không dùng tên đăng nhập hay mật khẩu phổ biến (như 12345678, matkhau123). Một câu ngắn dễ nhớ là mật khẩu tốt.';

/** The Vietnamese text for an API error (an `ApiError` or anything with `code`/`message`). */
export function errorMessage(err) {
  if (!err) return ERROR_MESSAGES.internal_error;
  const code = err.code;
  if (code && PREFER_API_MESSAGE.has(code) && err.apiMessage) return err.apiMessage;
  if (code && ERROR_MESSAGES[code]) return ERROR_MESSAGES[code];
  if (err.apiMessage) return err.apiMessage;
  if (err.status >= 500) return ERROR_MESSAGES.internal_error;
  return err.message || ERROR_MESSAGES.internal_error;
}

/** Request field names → labels, for field errors without a matching input on the page. */
export const FIELD_LABELS = {
  field: 'Lĩnh vực',
  recovered_money: 'Tiền kiến nghị thu hồi',
  recovered_land_m2: 'Đất kiến nghị thu hồi',
  people_restored: 'Số người được bảo vệ quyền lợi',
  username: 'Tên đăng nhập',
  password: 'Mật khẩu',
  new_password: 'Mật khẩu mới',
  old_password: 'Mật khẩu hiện tại',
  new_password_repeat: 'Nhập lại mật khẩu mới',
  full_name: 'Họ và tên',
  phone: 'Số điện thoại',
  email: 'Thư điện tử',
  role: 'Vai trò',
  unit_id: 'Đơn vị',
  assignee_id: 'Người xử lý',
  leader_id: 'Lãnh đạo phụ trách',
  expected_result: 'Kết quả cần đạt',
  agency_id: 'Cơ quan',
  kind: 'Loại đơn',
  channel: 'Hình thức nhận',
  received_on: 'Ngày nhận',
  subject: 'Tiêu đề',
  content: 'Nội dung',
  petitioner: 'Người gửi đơn',
  'petitioner.full_name': 'Họ và tên người gửi',
  'petitioner.id_number': 'Số giấy tờ tùy thân',
  'petitioner.address': 'Địa chỉ',
  'petitioner.phone': 'Số điện thoại',
  'petitioner.email': 'Thư điện tử',
  signatories: 'Số người ký đơn',
  representatives: 'Người đại diện',
  forwarding_body: 'Cơ quan chuyển đơn',
  reason: 'Lý do',
  result: 'Kết quả giải quyết',
  conclusion: 'Kết luận',
  to_body: 'Cơ quan nhận',
  to_agency_id: 'Cơ quan nhận',
  days: 'Số ngày',
  score: 'Mức đánh giá',
  comment: 'Ý kiến',
  name: 'Tên',
  code: 'Mã',
  on: 'Ngày quyết định',
  start: 'Ngày bắt đầu',
  date: 'Ngày',
  host_id: 'Người chủ trì',
  location: 'Địa điểm',
  summary: 'Tóm tắt nội dung',
  ground: 'Căn cứ từ chối',
  'visitor.full_name': 'Họ và tên công dân',
  'visitor.id_number': 'Số giấy tờ tùy thân',
  'visitor.address': 'Địa chỉ',
  people_count: 'Số người cùng nội dung',
  guided_to: 'Hướng dẫn đến cơ quan',
  accepted_by: 'Cơ quan tiếp nhận',
  petition_id: 'Vụ việc đã có',
  trigger: 'Căn cứ tiếp đột xuất',
  notice_on: 'Ngày thông báo',
  meeting_link: 'Đường dẫn họp trực tuyến',
  text: 'Nội dung kết luận',
  directives: 'Chỉ đạo',
  task: 'Nhiệm vụ',
  due: 'Hạn',
  weekday: 'Ngày trong tuần',
  every: 'Chu kỳ',
  on_holiday: 'Trùng ngày nghỉ',
  week_of_month: 'Tuần trong tháng',
  body: 'Dữ liệu gửi lên',
  query: 'Điều kiện tìm kiếm',
  action: 'Thao tác',
  expected_version: 'Phiên bản hồ sơ',
  status: 'Trạng thái',
  anonymous: 'Đơn không ghi tên',
  cosignatories: 'Người cùng ký đơn',
  attachments: 'Tài liệu kèm theo',
  forwarding_doc_no: 'Số văn bản chuyển đơn',
  handled_before_by: 'Cơ quan đã giải quyết trước',
  letter_no: 'Số văn bản',
  note: 'Ghi chú',
  complexity: 'Mức độ vụ việc',
  remote_area: 'Vùng sâu, vùng xa',
  partial: 'Rút một phần',
  withdrawn_signatories: 'Số người rút đơn',
  parts: 'Các nội dung tách',
  level: 'Cấp hành chính',
  parent_id: 'Cơ quan cấp trên',
  recording_ref: 'Mã bản ghi âm, ghi hình',
  cancel_reason: 'Lý do hủy',
  grounds_on: 'Ngày có đủ căn cứ',
  sent_on: 'Ngày gửi',
  done_on: 'Ngày hoàn thành',
  notice_no: 'Số thông báo',
  visitor: 'Công dân',
  unit: 'Cách tính',
  from: 'Từ ngày',
  to: 'Đến ngày',
  page: 'Trang',
  per_page: 'Số dòng mỗi trang',
  after: 'Trang sau',
  q: 'Từ khóa tìm kiếm',
  period: 'Kỳ báo cáo',
  month: 'Tháng',
  from_month: 'Từ tháng',
  to_month: 'Đến tháng',
  week: 'Tuần',
  from_week: 'Từ tuần',
  to_week: 'Đến tuần',
  year: 'Năm',
  trigger_note: 'Ghi chú về căn cứ',
  participants: 'Thành phần tham dự',
  note_taker_id: 'Người ghi biên bản',
  expected_content: 'Nội dung dự kiến',
  hours: 'Giờ tiếp',
  representatives_count: 'Số người đại diện',
  round: 'Đơn gửi lần',
  earlier_decision: 'Quyết định, kết luận trước',
  'earlier_decision.number': 'Số quyết định, kết luận trước',
  'earlier_decision.date': 'Ngày ban hành',
  'earlier_decision.body': 'Cơ quan, người ban hành',
  'earlier_decision.received_on': 'Ngày người gửi nhận được',
  act_known_on: 'Ngày biết được quyết định, hành vi',
  signed: 'Chữ ký của người gửi',
  skip_level: 'Đơn vượt cấp',
  guidance_letter_no: 'Số văn bản hướng dẫn',
  forwarding_letter_no: 'Số văn bản chuyển',
  follow_up: 'Theo dõi, kết quả',
  within_competence: 'Thuộc thẩm quyền',
  summary_text: 'Tóm tắt',
  promised_on: 'Ngày hẹn trả kết quả',
  channel_sent: 'Hình thức gửi',
  'visitor.phone': 'Số điện thoại',
};

/**
 * The words for a request field named in an error without an input beside which to show it:
 * `representatives[1].full_name` → "Người đại diện: Họ và tên". Never the wire name itself.
 */
export function fieldLabel(key) {
  if (FIELD_LABELS[key]) return FIELD_LABELS[key];
  const plain = key.replace(/\[\d+\]/g, '').replace(/\.\d+(?=\.|$)/g, '');
  if (FIELD_LABELS[plain]) return FIELD_LABELS[plain];
  const parts = plain.split('.');
  const last = FIELD_LABELS[parts.at(-1)];
  const first = parts.length > 1 ? FIELD_LABELS[parts[0]] : null;
  if (first && last) return `${first}: ${last}`;
  return last || first || 'Thông tin khác';
}

/** The four kinds, in plain words, with what the law asks of each (domain.md §4–§7). */
export const KINDS = {
  complaint: {
    label: 'Khiếu nại',
    plain: 'Bạn không đồng ý với một quyết định hành chính hoặc việc làm của cơ quan, cán bộ, công chức, cho rằng nó trái pháp luật và xâm phạm quyền, lợi ích hợp pháp của bạn.',
    requires: 'Đơn cần nêu rõ: quyết định hoặc hành vi bị khiếu nại (số, ngày, cơ quan ban hành hoặc người làm), lý do khiếu nại và yêu cầu của bạn. Khiếu nại trong 90 ngày kể từ khi biết quyết định, hành vi đó (Luật Khiếu nại 2011, Điều 8, 9).',
  },
  denunciation: {
    label: 'Tố cáo',
    plain: 'Bạn báo cho cơ quan có thẩm quyền biết hành vi vi phạm pháp luật của một cán bộ, công chức hoặc cơ quan, tổ chức, cá nhân gây thiệt hại cho Nhà nước hoặc người khác.',
    requires: 'Đơn cần nêu rõ: người bị tố cáo, hành vi vi phạm và thông tin liên hệ của bạn. Họ tên, địa chỉ, bút tích và mọi thông tin làm lộ danh tính người tố cáo được pháp luật giữ bí mật (Luật Tố cáo 2018, Điều 8, 9, 47).',
  },
  recommendation: {
    label: 'Kiến nghị',
    plain: 'Bạn đề xuất với cơ quan nhà nước về một chủ trương, chính sách hoặc cách làm chưa hợp lý, để xem xét sửa đổi, bổ sung.',
    requires: 'Nêu rõ vấn đề và đề xuất của bạn. Cơ quan trả lời việc tiếp nhận trong 10 ngày làm việc (Luật Tiếp công dân 2013, Điều 28).',
  },
  feedback: {
    label: 'Phản ánh',
    plain: 'Bạn cho cơ quan nhà nước biết một sự việc, vấn đề ở địa phương cần được xử lý (ví dụ: đèn đường hỏng, lấn chiếm vỉa hè, rác thải).',
    requires: 'Nêu rõ sự việc, địa điểm, thời gian. Cơ quan trả lời việc tiếp nhận trong 10 ngày làm việc (Luật Tiếp công dân 2013, Điều 28).',
  },
};

export const kindLabel = (k) => KINDS[k]?.label ?? k;

/** Statuses: the staff label and, for citizens, what it means in plain words. */
export const STATUSES = {
  received: { label: 'Đã tiếp nhận', plain: 'Cơ quan đã nhận đơn của bạn và đang phân loại, xem xét thẩm quyền.' },
  accepted: { label: 'Đã thụ lý, đang giải quyết', plain: 'Đơn thuộc thẩm quyền và đã được thụ lý; cán bộ đang xác minh, giải quyết.' },
  suspended: { label: 'Tạm đình chỉ giải quyết', plain: 'Việc giải quyết tạm dừng (ví dụ chờ kết quả của cơ quan khác); thời hạn tạm ngừng tính.' },
  resolved: { label: 'Đã giải quyết', plain: 'Cơ quan đã ban hành kết quả giải quyết. Văn bản được gửi tới bạn.' },
  guided: { label: 'Đã hướng dẫn gửi đến cơ quan có thẩm quyền', plain: 'Việc của bạn không thuộc thẩm quyền của cơ quan này; bạn đã được hướng dẫn gửi đến cơ quan có thẩm quyền.' },
  forwarded: { label: 'Đã chuyển cơ quan có thẩm quyền', plain: 'Đơn đã được chuyển đến cơ quan có thẩm quyền giải quyết.' },
  archived: { label: 'Lưu đơn', plain: 'Đơn được lưu, không xử lý (ví dụ: không đủ điều kiện xử lý hoặc đã được giải quyết).' },
  rejected: { label: 'Không thụ lý', plain: 'Đơn không được thụ lý; lý do được thông báo bằng văn bản.' },
  withdrawn: { label: 'Đã rút đơn', plain: 'Bạn đã rút đơn; việc giải quyết kết thúc.' },
  terminated: { label: 'Đình chỉ giải quyết', plain: 'Việc giải quyết đã bị đình chỉ theo quyết định của cơ quan; lý do được thông báo bằng văn bản.' },
  lead: { label: 'Chuyển làm thông tin thanh tra, kiểm tra', plain: 'Đơn không rõ người gửi nên không giải quyết như một vụ tố cáo; nội dung được dùng làm thông tin phục vụ thanh tra, kiểm tra.' },
};
export const statusLabel = (s) => STATUSES[s]?.label ?? s;
export const OPEN_STATUSES = ['received', 'accepted', 'suspended'];
export const isOpen = (s) => OPEN_STATUSES.includes(s);

export const CHANNELS = {
  in_person: 'Trực tiếp tại trụ sở',
  post: 'Qua bưu điện',
  online: 'Trực tuyến (cổng công dân)',
  forwarded: 'Cơ quan khác chuyển đến',
  email: 'Thư điện tử',
  hotline: 'Đường dây nóng',
};

export const ROLES = {
  admin: 'Quản trị hệ thống',
  chairman: 'Chủ tịch UBND',
  unit_head: 'Thủ trưởng đơn vị',
  inspector: 'Thanh tra, xử lý đơn',
  receptionist: 'Cán bộ tiếp công dân',
  citizen: 'Công dân',
};
export const STAFF_ROLES = ['chairman', 'unit_head', 'inspector', 'receptionist', 'admin'];

/** Workflow actions: the button's label and what the action means. */
export const ACTIONS = {
  accept: { label: 'Thụ lý', help: 'Đơn thuộc thẩm quyền và đủ điều kiện: thụ lý để giải quyết. Thời hạn giải quyết bắt đầu tính.' },
  reject: { label: 'Không thụ lý', help: 'Không thụ lý đơn, nêu rõ lý do (sẽ thông báo bằng văn bản).' },
  guide: { label: 'Hướng dẫn', help: 'Khiếu nại không thuộc thẩm quyền: hướng dẫn người gửi đến cơ quan có thẩm quyền (chỉ một lần).' },
  forward: { label: 'Chuyển đơn', help: 'Tố cáo, kiến nghị, phản ánh không thuộc thẩm quyền: chuyển đến cơ quan có thẩm quyền.' },
  urge: { label: 'Đôn đốc', help: 'Cấp dưới có thẩm quyền nhưng chưa giải quyết: yêu cầu cấp dưới giải quyết.' },
  archive: { label: 'Lưu đơn', help: 'Đơn không đủ điều kiện xử lý: lưu đơn (giữ 1 năm).' },
  assign: { label: 'Phân công', help: 'Giao người xử lý, đơn vị, lãnh đạo phụ trách và kết quả cần đạt ("5 rõ").' },
  extend: { label: 'Gia hạn', help: 'Gia hạn thời hạn giải quyết đối với vụ việc phức tạp (có quyết định gia hạn).' },
  suspend: { label: 'Tạm đình chỉ', help: 'Tạm đình chỉ việc giải quyết (chờ cơ quan khác, giám định…); thời hạn ngừng tính.' },
  resume: { label: 'Tiếp tục giải quyết', help: 'Hủy tạm đình chỉ, tiếp tục giải quyết.' },
  withdraw: { label: 'Rút đơn', help: 'Người gửi rút đơn (toàn bộ hoặc một phần) bằng văn bản.' },
  resolve: { label: 'Giải quyết xong', help: 'Ghi kết quả giải quyết (quyết định, kết luận, văn bản trả lời).' },
  reopen: { label: 'Mở lại (lần hai / tố cáo tiếp)', help: 'Khiếu nại lần hai hoặc tố cáo tiếp: tạo hồ sơ mới liên kết với hồ sơ này.' },
  split: { label: 'Tách đơn', help: 'Đơn có nhiều nội dung: tách thành các hồ sơ riêng, mỗi nội dung một hồ sơ.' },
  schedule_dialogue: { label: 'Lên lịch đối thoại', help: 'Ấn định ngày, địa điểm đối thoại; giấy mời gửi trước ít nhất 5 ngày (Nghị định 124/2020, Điều 28). Bắt buộc với khiếu nại lần hai.' },
  record_dialogue: { label: 'Ghi biên bản đối thoại', help: 'Ghi nội dung, kết quả đối thoại (Mẫu 14); người khiếu nại vắng mặt không lý do thì vẫn lập biên bản và tiếp tục giải quyết.' },
  extend_intake: { label: 'Kéo dài thời hạn xử lý ban đầu', help: 'Tố cáo phải xác minh ở nhiều địa điểm hoặc được ủy quyền: kéo dài thời hạn tiếp nhận, xử lý ban đầu từ 7 lên tối đa 10 ngày làm việc (Luật Tố cáo 2018, Điều 24).' },
  terminate: { label: 'Đình chỉ giải quyết', help: 'Ban hành quyết định đình chỉ việc giải quyết (ví dụ: Tòa án đã thụ lý; người bị tố cáo đã chết). Quyết định gửi trong 3 ngày làm việc (khiếu nại) hoặc 5 ngày làm việc (tố cáo).' },
  record_lead: { label: 'Làm thông tin thanh tra', help: 'Tố cáo nặc danh có người vi phạm cụ thể và tài liệu, chứng cứ kiểm tra được: không thụ lý giải quyết mà chuyển làm thông tin thanh tra, kiểm tra (Luật Tố cáo 2018, Điều 25).' },
};
export const actionLabel = (a) => ACTIONS[a]?.label ?? a;

/** What the audit trail's `action` means. */
export const EVENT_ACTIONS = {
  receive: 'Tiếp nhận đơn',
  accept: 'Thụ lý',
  reject: 'Không thụ lý',
  guide: 'Hướng dẫn',
  forward: 'Chuyển đơn',
  urge: 'Đôn đốc',
  archive: 'Lưu đơn',
  assign: 'Phân công xử lý',
  extend: 'Gia hạn giải quyết',
  suspend: 'Tạm đình chỉ',
  resume: 'Tiếp tục giải quyết',
  withdraw: 'Rút đơn',
  resolve: 'Giải quyết',
  reopen: 'Mở lại hồ sơ',
  split: 'Tách đơn',
  record_lead: 'Chuyển làm thông tin thanh tra, kiểm tra',
  extend_intake: 'Kéo dài thời hạn xử lý ban đầu',
  schedule_dialogue: 'Lên lịch đối thoại',
  record_dialogue: 'Ghi biên bản đối thoại',
  terminate: 'Đình chỉ giải quyết',
  forward_result: 'Nhận kết quả từ cơ quan được chuyển',
  next_level_result: 'Kết quả giải quyết lần hai / tố cáo tiếp của cấp trên',
  notice_issued: 'Lập thư xin lỗi',
  notice_sent: 'Gửi văn bản',
  deadline_recomputed: 'Tính lại thời hạn do thay đổi lịch nghỉ',
  reception_visit: 'Công dân đến trình bày (sổ tiếp công dân)',
  audit_anchored: 'Niêm phong nhật ký hồ sơ bằng khóa kiểm toán',
  made_confidential: 'Hồ sơ được bảo mật (có tố cáo liên quan)',
  claimed_by_account: 'Công dân nhận đơn vào tài khoản',
  attachment_added: 'Đính kèm tài liệu',
};
export const eventLabel = (a) => EVENT_ACTIONS[a] ?? a;

export const CONCLUSIONS = {
  right: 'Đúng',
  partly_right: 'Đúng một phần',
  wrong: 'Sai toàn bộ',
};

// The field of a petition's content, as the report forms group it (lĩnh vực).
export const FIELDS = {
  land_housing: 'Đất đai, nhà ở',
  policy: 'Chế độ, chính sách',
  administrative: 'Hành chính khác',
  justice: 'Tư pháp',
  party_mass: 'Đảng, đoàn thể',
  corruption: 'Tham nhũng',
  other: 'Lĩnh vực khác',
};

export const COMPLEXITY = {
  none: 'Bình thường',
  complex: 'Phức tạp',
  especially_complex: 'Đặc biệt phức tạp',
};

export const DAY_UNITS = { working: 'ngày làm việc', calendar: 'ngày' };

export const DAY_KINDS = {
  holiday: 'Ngày lễ, Tết',
  day_off: 'Ngày nghỉ (nghỉ bù, hoán đổi)',
  working_day: 'Ngày làm việc (làm bù)',
};

export const CLOCK_STATES = { running: 'Đang chạy', met: 'Đã hoàn thành', stopped: 'Đã dừng', informational: 'Để theo dõi' };

export const SESSION_KINDS = {
  periodic: 'Tiếp định kỳ',
  regular: 'Tiếp thường xuyên',
  unscheduled: 'Tiếp đột xuất',
  online: 'Tiếp trực tuyến',
};

export const SESSION_STATUSES = {
  scheduled: 'Đã lên lịch',
  held: 'Đã tiếp',
  cancelled: 'Đã hủy',
  missed: 'Không tổ chức tiếp theo lịch',
};

/** A head's periodic sessions in a week (weekly review). */
export const HEAD_WEEK = {
  held: 'Đã tiếp',
  missed: 'Không tiếp theo lịch',
  upcoming: 'Sắp diễn ra',
  unscheduled: 'Chưa có buổi tiếp trong tuần',
  no_working_day: 'Tuần không có ngày làm việc',
  not_required: 'Không có lịch tuần này',
};

export const WEEKDAYS = ['', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ nhật'];

/** Grounds for refusing to receive a citizen, short (Law 42/2013 Art. 9; ND 154/2026 Art. 4(1)). */
export const REFUSAL_GROUNDS = {
  not_in_control: 'Say rượu, dùng chất kích thích, không làm chủ hành vi (Luật TCD Điều 9 khoản 1)',
  threats_or_insults: 'Đe dọa, xúc phạm, vi phạm nội quy nơi tiếp (Điều 9 khoản 2)',
  already_resolved: 'Vụ việc đã giải quyết đúng pháp luật mà vẫn cố tình khiếu nại, tố cáo kéo dài (Điều 9 khoản 3)',
  weapons_not_deposited: 'Mang vũ khí, vật liệu nổ không gửi lại (NĐ 154/2026 Điều 4 khoản 1 điểm a)',
  refused_security_check: 'Không chấp hành kiểm tra an ninh (điểm b)',
  recording_after_warning: 'Ghi âm, ghi hình, phát trực tiếp khi đã được nhắc (điểm c)',
  inciting_disorder: 'Kích động, gây rối trật tự (điểm d)',
  no_capacity_no_representative: 'Không đủ năng lực hành vi dân sự, không có người đại diện (điểm đ)',
  representative_without_proof: 'Người đại diện không có giấy tờ chứng minh (điểm e)',
  not_a_petition: 'Không phải khiếu nại, tố cáo, kiến nghị, phản ánh (điểm g)',
  already_answered_nothing_new: 'Kiến nghị, phản ánh đã được trả lời, không có tình tiết mới (điểm h)',
  final_judgment: 'Đã có bản án, quyết định có hiệu lực của Tòa án (điểm i)',
  accepted_elsewhere: 'Đã được cơ quan có thẩm quyền khác thụ lý (điểm k)',
};

export const TRIGGERS = {
  heated_or_complex: 'Vụ việc gay gắt, phức tạp, nhiều người tham gia, các cơ quan còn ý kiến khác nhau (Điều 18 khoản 3 điểm a)',
  serious_harm: 'Có thể gây thiệt hại nghiêm trọng nếu không xử lý ngay (Điều 18 khoản 3 điểm b)',
};

/** Reception book, column 6: KN is both complaint and recommendation. */
/** Why a protected identity was read (the access log's `purpose`). */
export const READ_PURPOSES = {
  intake: 'Tiếp nhận đơn',
  view: 'Mở hồ sơ',
  action: 'Xử lý hồ sơ',
  reception_session: 'Xem buổi tiếp',
  reception_visit: 'Ghi lượt tiếp',
  petition_visits: 'Xem các lượt tiếp của hồ sơ',
  reception_book: 'Xem sổ tiếp công dân',
  reception_book_export: 'Xuất sổ tiếp công dân',
  reception_refusals: 'Xem danh sách từ chối tiếp',
  reception_refusal: 'Ghi việc từ chối tiếp',
  notice: 'In, tải văn bản thông báo',
  attachment: 'Tải tài liệu đính kèm',
};

export const BOOK_CODES = { complaint: 'KN', denunciation: 'TC', recommendation: 'KN', feedback: 'PA' };

export const WARNING_CODES = {
  same_identity: 'Cùng số giấy tờ tùy thân',
  similar_subject: 'Nội dung tương tự',
  already_guided: 'Đã hướng dẫn trước đây',
  already_forwarded: 'Đã chuyển đơn trước đây',
  already_resolved: 'Đã giải quyết trước đây',
  skip_level: 'Đơn vượt cấp',
  filing_limit_passed: 'Quá thời hiệu khiếu nại',
  second_filing_late: 'Khiếu nại lần hai quá hạn',
};
