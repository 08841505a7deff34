import type { OverdueStatus } from '../../rules/cases/deadlines.ts';
import type { Case } from '../../rules/cases/schema.ts';
import type { Workflow } from '../../rules/cases/workflow.ts';
import type { Versioned } from '../../store/occ.ts';
import { html, raw, safeUrl, type SafeHtml } from './html.ts';
import { agencyName, outletName, caseActionLabel, caseStateLabel, EVIDENCE_KIND_LABEL, EVIDENCE_OUTCOME_LABEL, flagLabel, viDateTime } from './labels.ts';

type Listed = Case & { overdue: OverdueStatus };

const overdueText = (o: OverdueStatus) => [o.agency ? 'Quá hạn xử lý' : '', o.outlet ? 'Báo quá hạn cải chính' : ''].filter(Boolean).join(' · ');

export function casesBoard(cases: Listed[], wf: Workflow, filter: { agency: string | null; overdue: boolean }, canFilterAgency: boolean): SafeHtml {
  const byDeadline = (a: Listed, b: Listed) => (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999') || a.priority - b.priority;
  return html`<h1>Bảng vụ việc</h1>
<form method="get" action="/cases" class="filters">
${canFilterAgency ? html`<label>Cơ quan (mã) <input name="agency" value="${filter.agency ?? ''}" placeholder="2025-91-so-y-te"></label>${filter.agency ? html` <span class="tag">${agencyName(filter.agency)}</span>` : ''}` : ''}
<label><input type="checkbox" name="overdue" value="true"${filter.overdue ? raw(' checked') : ''}> Chỉ vụ việc quá hạn</label>
<button type="submit">Lọc</button></form>
<div class="board">${wf.data.states.map((s) => {
    const list = cases.filter((c) => c.state === s.code).sort(byDeadline);
    return html`<section class="column"><h2>${s.label} <span class="count">${list.length}</span></h2>
${list.map(
  (c) => html`<a class="card${c.overdue.agency || c.overdue.outlet ? ' overdue' : ''} prio-${c.priority}" href="/cases/${c.id}">
<strong>${c.title ?? '(không tiêu đề)'}</strong><br><small>${agencyName(c.agencyId)}</small><br>
<small>Hạn: ${c.deadline ? viDateTime(c.deadline) : 'không có hạn cố định'}</small>
${c.overdue.agency || c.overdue.outlet ? html`<br><span class="badge overdue">${overdueText(c.overdue)}</span>` : ''}
${c.assignee ? html`<br><small>Phụ trách: ${c.assignee}</small>` : ''}</a>`,
)}</section>`;
  })}</div>`;
}

/** Someone a case can be given to. */
export interface Assignee {
  username: string;
  displayName: string;
}

export function caseView(v: Versioned<Case>, overdue: OverdueStatus, wf: Workflow, assignees: Assignee[] = []): SafeHtml {
  const c = v.doc;
  // The current assignee stays selectable even if no longer offered (deactivated, other agency).
  const people = c.assignee && !assignees.some((u) => u.username === c.assignee) ? [...assignees, { username: c.assignee, displayName: c.assignee }] : assignees;
  const version = html`<input type="hidden" name="seqNo" value="${v.seqNo}"><input type="hidden" name="primaryTerm" value="${v.primaryTerm}">`;
  const allowed = wf.allowedFrom(c.state);
  return html`<h1>${c.title ?? 'Vụ việc'}</h1>
<p class="meta">Cơ quan: <strong>${agencyName(c.agencyId)}</strong> · Trạng thái: <span class="badge state">${caseStateLabel(c.state)}</span> · Ưu tiên ${c.priority}
· Hạn của cơ quan: ${c.deadline ? viDateTime(c.deadline) : 'không có hạn cố định'}${c.outletDeadline ? html` · Hạn báo cải chính: ${viDateTime(c.outletDeadline)}` : ''}
${overdue.agency || overdue.outlet ? html` · <span class="badge overdue">${overdueText(overdue)}</span>` : ''} · Phụ trách: ${c.assignee ?? 'chưa phân công'}</p>
<div class="case-grid"><section>
<h2>Bài báo</h2><ul>${c.articles.map((a) => html`<li><a href="/articles/${a.id}">${a.title ?? a.id}</a> – ${a.outletName ?? (a.outletId ? outletName(a.outletId) : '')}, ${viDateTime(a.publishedAt)} <a href="${safeUrl(a.url)}" rel="noopener noreferrer" target="_blank">↗</a></li>`)}</ul>
<h2>Cảnh báo</h2><ul>${c.flags.map((f) => html`<li>${flagLabel(f.kind)} <small>(quy tắc ${f.ruleId})</small> – hạn ${f.deadline ? viDateTime(f.deadline) : 'không có'}</li>`)}</ul>
<h2>Bằng chứng</h2>${c.evidence.length ? html`<ul>${c.evidence.map((e, i) => html`<li>${viDateTime(e.at)} – ${EVIDENCE_KIND_LABEL[e.kind] ?? e.kind}: ${EVIDENCE_OUTCOME_LABEL[e.outcome] ?? e.outcome}${(['png', 'pdf', 'html'] as const).filter((k) => e.files[k]).map((k) => html` · <a href="/cases/${c.id}/evidence/${i}/${k}">${k.toUpperCase()}</a>`)}</li>`)}</ul>` : html`<p>Chưa có.</p>`}
<h2>Công văn đề nghị cải chính</h2>${c.letters.length ? html`<ul>${c.letters.map((l) => html`<li>${l.number} – ${l.format.toUpperCase()} – ${viDateTime(l.at)} – ${l.by}</li>`)}</ul>` : ''}
<h2>Lịch sử</h2><table class="history"><thead><tr><th>Thời gian</th><th>Người thực hiện</th><th>Thao tác</th><th>Ghi chú</th></tr></thead><tbody>
${[...c.history].reverse().map((h) => html`<tr><td>${viDateTime(h.at)}</td><td>${h.by}</td><td>${caseActionLabel(h.action)}${h.to ? html` → ${wf.label(h.to)}` : ''}</td><td>${h.note ?? ''}</td></tr>`)}</tbody></table>
</section><section class="actions">
<h2>Chuyển trạng thái</h2>${allowed.length
    ? html`<form data-api="/api/cases/${c.id}/transition" data-method="POST">${version}
<select name="to">${allowed.map((s) => html`<option value="${s}">${wf.label(s)}</option>`)}</select>
<label>Ghi chú / lý do <textarea name="note" maxlength="2000"></textarea></label><button type="submit">Cập nhật</button></form>`
    : html`<p>Vụ việc đã kết thúc.</p>`}
<h2>Phân công</h2><form data-api="/api/cases/${c.id}/assign" data-method="POST">${version}
<select name="assignee" aria-label="Người phụ trách"><option value="">— chưa phân công —</option>${people.map((u) => html`<option value="${u.username}"${u.username === c.assignee ? raw(' selected') : ''}>${u.displayName} (${u.username})</option>`)}</select><button type="submit">Phân công</button></form>
<h2>Bài cải chính của báo</h2>${c.correction
    ? html`<p>Đã gắn: ${c.correction.url ? html`<a href="${safeUrl(c.correction.url)}" rel="noopener noreferrer" target="_blank">${c.correction.title ?? c.correction.url}</a>` : (c.correction.title ?? c.correction.articleId)} (${viDateTime(c.correction.detectedAt)})</p>`
    : html`<form data-api="/api/cases/${c.id}/correction" data-method="POST">${version}
<label>Đường dẫn bài cải chính <input name="url" type="url" required placeholder="https://…"></label>
<label>Tiêu đề (nếu bài chưa có trong hệ thống) <input name="title" maxlength="500"></label>
<button type="submit">Gắn bài cải chính</button></form>`}
<h2>Ghi chú</h2>${c.notes.map((n) => html`<blockquote><small>${n.by}, ${viDateTime(n.at)}</small><br>${n.text}</blockquote>`)}
<form data-api="/api/cases/${c.id}/notes" data-method="POST">${version}<textarea name="text" required maxlength="5000"></textarea><button type="submit">Thêm ghi chú</button></form>
<h2>Soạn công văn đề nghị cải chính</h2>
<form data-api="/api/cases/${c.id}/letter" data-method="POST" data-download="1">
<label>Cơ quan chủ quản <input name="issuerParent" placeholder="ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"></label>
<label>Cơ quan ban hành <input name="issuerName" required placeholder="SỞ Y TẾ"></label>
<label>Tên gọi trong văn bản <input name="issuerShortName" required placeholder="Sở Y tế tỉnh Quảng Ngãi"></label>
<label>Số, ký hiệu <input name="number" required placeholder=" /SYT-VP"></label>
<label>Địa danh <input name="place" required placeholder="Quảng Ngãi"></label>
<label>Nội dung sai <textarea name="claim" required></textarea></label>
<label>Sự thật <textarea name="fact" required></textarea></label>
<label>Chức vụ người ký <input name="signerTitle" required placeholder="GIÁM ĐỐC"></label>
<label>Họ tên người ký <input name="signerName" required></label>
<label>Định dạng <select name="format"><option value="docx">DOCX</option><option value="pdf">PDF</option></select></label>
<button type="submit">Tạo và tải công văn</button></form>
</section></div>`;
}
