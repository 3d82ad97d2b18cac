// Attachments, for the case page and the portal: the checks a file gets before it is sent (the
// server makes them again: type from the first bytes, 10 MB), a size in Vietnamese, and an upload
// form that sends the chosen files one after another with their progress and each one's result.

import { uploadFile } from './api.js';
import { errorMessage } from './i18n.js';
import { announce, h } from './ui.js';

/** The largest file the register takes (10 MB, as the server counts it). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** What the file picker offers. */
export const ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';

const SIGNATURES = [
  [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
  [0xff, 0xd8, 0xff], // JPEG
  [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], // PNG
];

/** The error code the server would answer for `file`, found before sending it; null when none. */
export async function precheck(file) {
  if (file.size === 0) return 'empty_file';
  if (file.size > MAX_FILE_BYTES) return 'file_too_large';
  const first = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  const known = SIGNATURES.some((sig) => sig.every((b, i) => first[i] === b));
  return known ? null : 'unsupported_type';
}

/** `1536000` → `1,5 MB`. */
export function fmtSize(bytes) {
  const nf = (n, digits) => new Intl.NumberFormat('vi-VN', { maximumFractionDigits: digits }).format(n);
  if (bytes < 1024) return `${nf(bytes, 0)} byte`;
  if (bytes < 1024 * 1024) return `${nf(bytes / 1024, 0)} KB`;
  return `${nf(bytes / (1024 * 1024), 1)} MB`;
}

/** What a picker shows of the files chosen. */
function describeChosen(files) {
  if (!files || !files.length) return 'Chưa chọn tệp nào.';
  const list = [...files];
  return list.length === 1 ? `Đã chọn: ${list[0].name} (${fmtSize(list[0].size)})` : `Đã chọn ${list.length} tệp: ${list.map((f) => f.name).join(', ')}`;
}

/**
 * A file picker whose words are Vietnamese whatever the browser's language: the native input,
 * kept for the keyboard and screen readers (named by the field's label) but drawn as a "Chọn tệp…"
 * button and the names of the files chosen. Returns `{ field, input, reset }`.
 */
export function filePicker({ id, name = 'file', label, hint, testid }) {
  const chosen = h('span', { class: 'file-chosen small', id: `${id}-chosen` }, describeChosen(null));
  const input = h('input', {
    type: 'file', id, name, accept: ACCEPT, multiple: true, class: 'file-input visually-hidden',
    'aria-labelledby': `${id}-label`, 'aria-describedby': `${id}-hint ${id}-chosen`, 'data-testid': testid,
  });
  const reset = () => { chosen.textContent = describeChosen(input.files); };
  input.addEventListener('change', reset);
  const field = h('div', { class: 'field' },
    h('label', { id: `${id}-label`, for: id }, label),
    h('p', { class: 'hint', id: `${id}-hint` }, hint),
    h('div', { class: 'file-picker' },
      input,
      h('label', { for: id, class: 'button secondary', 'aria-hidden': 'true' }, 'Chọn tệp…'),
      chosen));
  return { field, input, reset };
}

/**
 * An upload form: a file picker (several at once), a button, and one line per file sent with its
 * progress and result. `path` is where the files go (`/petitions/{id}/attachments`, or the
 * portal's); `auth` whether the session's token goes with them; `onAdded(answer)` runs after each
 * file taken, `onDone(count)` once the batch is sent. `files`, when given, are sent at once (chosen
 * earlier, e.g. with the petition's form). Returns the form element.
 */
export function uploader({ path, auth = true, onAdded, onDone, label = 'Chọn tệp đính kèm', submitLabel = 'Tải lên', hint, files: initial }) {
  const id = `upload-${Math.random().toString(36).slice(2, 8)}`;
  const picker = filePicker({ id, label, hint: hint ?? 'PDF, ảnh JPEG hoặc PNG; mỗi tệp tối đa 10 MB, mỗi hồ sơ tối đa 50 MB.', testid: 'attachment-input' });
  const { input } = picker;
  const button = h('button', { type: 'submit', 'data-testid': 'attachment-submit' }, submitLabel);
  const results = h('ul', { class: 'upload-results', 'aria-live': 'polite', 'data-testid': 'upload-results' });
  const form = h('form', { class: 'uploader', novalidate: true },
    picker.field,
    h('div', { class: 'actions' }, button),
    results);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    send([...input.files]);
  });

  async function send(files) {
    if (!files.length) {
      results.replaceChildren(h('li', { class: 'alert error', role: 'alert' }, 'Vui lòng chọn ít nhất một tệp.'));
      input.focus();
      return;
    }
    button.disabled = true;
    input.disabled = true;
    results.replaceChildren();
    let added = 0;
    for (const file of files) {
      const progress = h('progress', { max: '100', value: '0', 'aria-label': `Tiến độ gửi ${file.name}` });
      const status = h('span', { class: 'small muted' }, 'Đang kiểm tra…');
      const line = h('li', { 'data-file': file.name }, h('strong', null, file.name), ` (${fmtSize(file.size)}) `, status, ' ', progress);
      results.append(line);
      const problem = await precheck(file);
      if (problem) {
        progress.remove();
        line.classList.add('failed');
        status.className = 'small error-text';
        status.textContent = errorMessage({ code: problem });
        continue;
      }
      status.textContent = 'Đang gửi…';
      try {
        const answer = await uploadFile(path, file, { auth, onProgress: (f) => { progress.value = Math.round(f * 100); } });
        progress.remove();
        line.classList.add('done');
        status.className = 'small ok-text';
        status.textContent = 'Đã nhận.';
        added += 1;
        onAdded?.(answer);
      } catch (err) {
        progress.remove();
        line.classList.add('failed');
        status.className = 'small error-text';
        status.textContent = errorMessage(err);
        if (err.code === 'attachment_window_closed' || err.code === 'case_attachments_full') break;
      }
    }
    const failed = files.length - added;
    announce(failed ? `Đã gửi ${added} tệp; ${failed} tệp không gửi được.` : `Đã gửi ${added} tệp.`);
    form.reset();
    picker.reset();
    button.disabled = false;
    input.disabled = false;
    onDone?.(added);
  }

  if (initial?.length) send(initial);
  return form;
}
