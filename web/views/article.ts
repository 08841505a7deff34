import type { Flag } from '../../rules/engine/flag.ts';
import type { Case } from '../../rules/cases/schema.ts';
import type { Mention } from '../../model/records.ts';
import type { StoredArticle } from '../data.ts';
import { escapeHtml, html, raw, safeUrl, SafeHtml } from './html.ts';
import { agencyName, outletName, caseStateLabel, flagLabel, levelLabel, prominenceLabel, provinceName, toneLabel, viDateTime } from './labels.ts';

/** Text with the agency mentions (offsets from AgencyTag.mentions) wrapped in <mark>, everything escaped. */
export function markMentions(text: string | null, mentions: Array<Mention & { agency: string }>): SafeHtml {
  const t = text ?? '';
  const spans = mentions.filter((m) => m.start < m.end && m.end <= t.length).sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const m of spans) {
    if (m.start < at) continue; // overlapping mention: keep the first
    out += escapeHtml(t.slice(at, m.start)) + `<mark class="agency" title="${escapeHtml(m.agency)}">${escapeHtml(t.slice(m.start, m.end))}</mark>`;
    at = m.end;
  }
  return new SafeHtml(out + escapeHtml(t.slice(at)));
}

export interface ArticleView {
  article: StoredArticle;
  flags: Flag[];
  cases: Case[];
  siblings: Array<Pick<StoredArticle, 'id' | 'title' | 'url' | 'sourceId' | 'outletName' | 'publishedAt' | 'duplicateOf'>>;
}

export function articleView(v: ArticleView): SafeHtml {
  const a = v.article;
  const mentions = (field: 'title' | 'sapo' | 'body') => a.agencies.flatMap((g) => g.mentions.filter((m) => m.field === field).map((m) => ({ ...m, agency: g.name })));
  const s = a.sensitivity;
  return html`<article class="article">
<h1>${markMentions(a.title, mentions('title'))}</h1>
<p class="meta">${outletName(a.sourceId, a.outletName)} · ${viDateTime(a.publishedAt)}${a.author ? html` · ${a.author}` : ''} · <a href="${safeUrl(a.url)}" rel="noopener noreferrer" target="_blank">Xem bài gốc ↗</a>
${a.duplicateOf ? html` · <a href="/articles/${a.duplicateOf}">Bài đăng lại – xem bài gốc trong hệ thống</a>` : ''}</p>
${a.sapo ? html`<p class="sapo">${markMentions(a.sapo, mentions('sapo'))}</p>` : ''}
<div class="body">${markMentions(a.body, mentions('body'))}</div>
</article>
<aside class="article-side">
<h2>Cơ quan được nhắc đến</h2><ul>${a.agencies.map((g) => html`<li><mark class="agency">${agencyName(g.id, g.name)}</mark> <small>${prominenceLabel(g.prominence)}${g.province ? html` · ${provinceName(g.province)}` : ''}</small></li>`)}</ul>
<h2>Mức độ nhạy cảm</h2>${s ? html`<p><span class="badge level-${s.level}">${levelLabel(s.level)}</span> · ${toneLabel(s.tone)} · điểm ${s.score.toFixed(2)}</p><ul>${s.reasons.map((r) => html`<li>${r}</li>`)}</ul>` : html`<p>Chưa đánh giá.</p>`}
<h2>Cảnh báo</h2>${v.flags.length ? html`<ul>${v.flags.map((f) => html`<li><strong>${flagLabel(f.kind)}</strong> – ${agencyName(f.agencyId)}<br>Hạn: ${f.deadline ? viDateTime(f.deadline) : 'không có hạn cố định'}<ul>${f.reasons.map((r) => html`<li>${r}</li>`)}</ul></li>`)}</ul>` : html`<p>Không có cảnh báo.</p>`}
<h2>Vụ việc</h2>${v.cases.length ? html`<ul>${v.cases.map((c) => html`<li><a href="/cases/${c.id}">${caseStateLabel(c.state)} – ${agencyName(c.agencyId)}</a>${c.evidence.filter((e) => e.articleId === a.id && (e.files.png || e.files.pdf || e.files.html)).slice(0, 1).map((e) => html` · <a href="/cases/${c.id}/evidence/${c.evidence.indexOf(e)}/${e.files.png ? 'png' : e.files.pdf ? 'pdf' : 'html'}">Ảnh chụp bằng chứng (${viDateTime(e.at)})</a>`)}</li>`)}</ul>` : html`<p>Chưa có vụ việc.</p>`}
<h2>Cùng sự việc</h2>${v.siblings.length ? html`<ul>${v.siblings.map((x) => html`<li><a href="/articles/${x.id}">${x.title ?? x.id}</a> – ${outletName(x.sourceId, x.outletName)}, ${viDateTime(x.publishedAt)}${x.duplicateOf ? ' (đăng lại)' : ''}</li>`)}</ul>` : html`<p>Không có bài khác.</p>`}
</aside>${raw('')}`;
}
