// Citizen portal: file a petition online (POST /api/v1/public/petitions). A signed-in citizen's
// filing carries the token, so it is listed under the account. The answer is a tracking code,
// shown large with copy and print buttons. Documents and photos chosen with the form are sent
// right after it (POST …/public/petitions/{code}/attachments), and more may be added from the
// receipt within 24 hours of filing.

import { api } from '../api.js';
import { filePicker, precheck, uploader } from '../attachments.js';
import { getUser, isStaff } from '../auth.js';
import { fmtDate } from '../format.js';
import { KINDS, STATUSES, errorMessage } from '../i18n.js';
import { announce, busy, checkbox, errorSummary, field, fill, focusEl, h, portalFrame, readForm, showErrors } from '../ui.js';

portalFrame('file');
const app = document.getElementById('app');
const user = getUser();
const citizen = user && !isStaff(user) ? user : null;

const CONTENT_HINTS = {
  complaint: 'Nêu quyết định hoặc hành vi bị khiếu nại (số, ngày, cơ quan hoặc người ban hành), vì sao bạn cho là sai, và bạn yêu cầu gì.',
  denunciation: 'Nêu họ tên, chức vụ người bị tố cáo, hành vi vi phạm (việc gì, ở đâu, khi nào) và chứng cứ nếu có.',
  recommendation: 'Nêu vấn đề bạn muốn kiến nghị và đề xuất của bạn.',
  feedback: 'Nêu sự việc, địa điểm, thời gian xảy ra.',
};

function kindChoices() {
  return h('fieldset', null,
    h('legend', null, 'Bạn muốn gửi loại đơn nào? ', h('span', { class: 'req', 'aria-hidden': 'true' }, '*')),
    h('div', { class: 'kind-choices' }, Object.entries(KINDS).map(([value, k]) =>
      h('label', { class: 'kind-choice' },
        h('input', { type: 'radio', name: 'kind', value, id: `kind-${value}`, required: true }),
        h('strong', null, k.label),
        h('span', null, k.plain)))),
    h('div', { id: 'kind-requires', class: 'alert info', 'aria-live': 'polite', hidden: true }));
}

function render() {
  const submit = h('button', { type: 'submit' }, 'Gửi đơn');
  const confidentiality = h('p', { class: 'alert warn', id: 'confidential-note', hidden: true },
    h('strong', null, 'Danh tính người tố cáo được giữ bí mật. '),
    'Theo Luật Tố cáo 2018 (Điều 8, 47), cơ quan, cán bộ không được tiết lộ họ tên, địa chỉ, bút tích hoặc thông tin khác làm lộ danh tính của bạn. Chỉ người tiếp nhận, người được giao xử lý và người giải quyết được xem thông tin này.');
  const form = h('form', { novalidate: true, id: 'file-form', 'aria-describedby': 'file-intro' },
    errorSummary(),
    kindChoices(),
    h('fieldset', null, h('legend', null, 'Nội dung đơn'),
      field({ name: 'subject', label: 'Tiêu đề', required: true, hint: 'Một câu ngắn, ví dụ: "Khiếu nại quyết định thu hồi đất số 12/QĐ-UBND".', attrs: { maxlength: 500 } }),
      field({ name: 'content', label: 'Nội dung trình bày', type: 'textarea', required: true, hint: 'Trình bày cụ thể sự việc (ít nhất 10 ký tự).', attrs: { rows: 8, maxlength: 20000 } })),
    h('fieldset', null, h('legend', null, 'Thông tin người gửi'),
      h('p', { class: 'muted small' }, 'Cơ quan cần họ tên và địa chỉ để trả lời bạn. Đơn không ghi rõ họ tên, địa chỉ có thể không được xử lý.'),
      confidentiality,
      field({ name: 'petitioner.full_name', label: 'Họ và tên', required: true, value: citizen?.full_name, attrs: { autocomplete: 'name' } }),
      field({ name: 'petitioner.id_number', label: 'Số CCCD / CMND / hộ chiếu', hint: 'Không bắt buộc. CCCD có 12 chữ số.', attrs: { inputmode: 'text', autocomplete: 'off' } }),
      field({ name: 'petitioner.address', label: 'Địa chỉ liên hệ', required: true, hint: 'Số nhà, tổ/thôn, phường/xã, tỉnh/thành phố.', attrs: { autocomplete: 'street-address' } }),
      h('div', { class: 'row' },
        field({ name: 'petitioner.phone', label: 'Số điện thoại', type: 'tel', attrs: { autocomplete: 'tel', inputmode: 'tel' } }),
        field({ name: 'petitioner.email', label: 'Thư điện tử', type: 'email', attrs: { autocomplete: 'email' } }))),
    h('fieldset', null, h('legend', null, 'Tài liệu, ảnh chụp kèm theo'),
      filePicker({
        id: 'f-files', name: 'files', label: 'Chọn tệp (không bắt buộc)', testid: 'filing-files',
        hint: 'PDF, ảnh JPEG hoặc PNG; mỗi tệp tối đa 10 MB. Tệp được gửi ngay sau khi gửi đơn; bạn có thể gửi thêm trong 24 giờ. Với đơn tố cáo, tài liệu được bảo mật như danh tính của bạn.',
      }).field),
    checkbox({ name: 'truthful', label: 'Tôi cam đoan những nội dung trình bày trên là đúng sự thật và chịu trách nhiệm trước pháp luật.' }),
    citizen
      ? h('p', { class: 'alert info' }, `Bạn đang đăng nhập với tài khoản ${citizen.full_name}: đơn này sẽ hiện trong mục "Đơn của tôi".`)
      : h('p', { class: 'muted small' }, 'Bạn có thể gửi đơn không cần tài khoản. ', h('a', { href: '/tai-khoan' }, 'Đăng nhập'), ' để xem lại mọi đơn đã gửi.'),
    h('div', { class: 'actions' }, submit));

  form.addEventListener('change', (e) => {
    if (e.target.name !== 'kind') return;
    const k = KINDS[e.target.value];
    const box = form.querySelector('#kind-requires');
    box.hidden = false;
    fill(box, h('strong', null, `${k.label}: đơn cần có gì? `), k.requires);
    confidentiality.hidden = e.target.value !== 'denunciation';
    const hint = form.querySelector('#f-content-hint');
    if (hint) hint.textContent = CONTENT_HINTS[e.target.value];
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = readForm(form);
    const missing = {};
    if (!v.kind) missing.kind = ['Vui lòng chọn loại đơn.'];
    if (!v.subject || v.subject.length < 3) missing.subject = ['Vui lòng nhập tiêu đề (ít nhất 3 ký tự).'];
    if (!v.content || v.content.length < 10) missing.content = ['Vui lòng trình bày nội dung (ít nhất 10 ký tự).'];
    if (!v.petitioner?.full_name) missing['petitioner.full_name'] = ['Vui lòng nhập họ và tên.'];
    if (!v.petitioner?.address) missing['petitioner.address'] = ['Vui lòng nhập địa chỉ liên hệ.'];
    if (!v.truthful) missing.truthful = ['Vui lòng xác nhận cam đoan.'];
    const files = [...form.querySelector('#f-files').files];
    const problems = (await Promise.all(files.map(async (f) => [f, await precheck(f)]))).filter(([, p]) => p);
    if (problems.length) missing.files = problems.map(([f, p]) => `${f.name}: ${errorMessage({ code: p })}`);
    if (Object.keys(missing).length) {
      showErrors(form, { code: 'validation_failed', fields: missing });
      return;
    }
    const restore = busy(submit, 'Đang gửi…');
    try {
      const res = await api('/public/petitions', {
        method: 'POST',
        body: { kind: v.kind, subject: v.subject, content: v.content, petitioner: v.petitioner || {} },
      });
      confirmation(res, v.kind, files);
    } catch (err) {
      showErrors(form, err);
      restore();
    }
  });

  fill(app,
    h('p', { class: 'lead', id: 'file-intro' }, 'Điền các thông tin dưới đây. Ô có dấu * là bắt buộc. Sau khi gửi, bạn nhận ngay một mã hồ sơ để tra cứu kết quả.'),
    form);
}

function confirmation(res, kind, files) {
  const code = res.tracking_code;
  const codeEl = h('p', { class: 'code-box', id: 'tracking-code', 'data-testid': 'tracking-code' }, code);
  const copyBtn = h('button', { type: 'button', class: 'secondary', onclick: async () => {
    try {
      await navigator.clipboard.writeText(code);
      announce('Đã sao chép mã hồ sơ.');
      copyBtn.textContent = 'Đã sao chép';
    } catch {
      const range = document.createRange();
      range.selectNodeContents(codeEl);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      announce('Mã hồ sơ đã được chọn, hãy nhấn Ctrl+C để sao chép.');
    }
  } }, 'Sao chép mã');
  const heading = h('h2', { id: 'done-title' }, 'Đã gửi đơn thành công');
  fill(app,
    h('section', { class: 'card', 'aria-labelledby': 'done-title', 'data-testid': 'filing-receipt' },
      heading,
      h('p', null, `Loại đơn: ${KINDS[kind]?.label ?? kind}. Ngày nhận: ${fmtDate(res.received_on)}. Tình trạng: ${STATUSES[res.status]?.label ?? res.status}.`),
      h('p', null, h('strong', null, 'Mã hồ sơ của bạn:')),
      codeEl,
      // The permanent tracking link and its QR code, printed with the receipt: a phone scans it
      // to follow the case without typing the code.
      h('div', { class: 'tracking-link', 'data-testid': 'tracking-link' },
        h('img', { class: 'qr', src: `/api/v1/public/petitions/${encodeURIComponent(code)}/qr`, alt: `Mã QR tra cứu hồ sơ ${code}`, width: 132, height: 132 }),
        h('p', null, 'Quét mã QR hoặc mở địa chỉ sau để theo dõi hồ sơ:', h('br'),
          h('a', { href: res.tracking_url, 'data-testid': 'tracking-url' }, res.tracking_url))),
      h('p', { class: 'alert warn' }, 'Hãy ghi lại hoặc in mã này. Đây là cách duy nhất để tra cứu đơn nếu bạn không đăng nhập.'),
      h('div', { class: 'actions no-print' },
        copyBtn,
        h('button', { type: 'button', class: 'secondary', onclick: () => window.print() }, 'In giấy biên nhận'),
        h('a', { class: 'button', href: `/tra-cuu?ma=${encodeURIComponent(code)}` }, 'Theo dõi hồ sơ')),
      h('section', { class: 'no-print', 'aria-labelledby': 'files-title', 'data-testid': 'filing-attachments' },
        h('h3', { id: 'files-title' }, 'Tài liệu, ảnh chụp kèm theo'),
        h('p', { class: 'small muted' }, 'Bạn có thể gửi thêm tài liệu, ảnh chụp làm chứng cứ trong 24 giờ kể từ khi gửi đơn. Sau thời gian đó, hãy gửi cho cán bộ xử lý hồ sơ.'),
        uploader({
          path: `/public/petitions/${encodeURIComponent(code)}/attachments`,
          auth: false,
          label: 'Chọn thêm tệp',
          submitLabel: 'Gửi tệp',
          files,
        })),
      h('h3', null, 'Tiếp theo'),
      h('p', null, 'Trong 10 ngày làm việc, cơ quan sẽ thông báo cho bạn việc đơn được thụ lý, chuyển đến cơ quan có thẩm quyền hoặc lý do không thụ lý (Luật Tiếp công dân, Điều 28).')),
    h('p', { class: 'no-print' }, h('a', { href: '/gui-don' }, 'Gửi một đơn khác')));
  focusEl(heading);
  announce(`Đã gửi đơn thành công. Mã hồ sơ ${code}.`);
}

render();
