import { articleId } from '../../lib/ids.ts';
import { Article } from '../../model/records.ts';

/** A valid Article record for tests; only the fields a test cares about need to be given. */
export function makeArticle(fields: Partial<Article> & { canonicalUrl: string; title: string }): Article {
  return Article.parse({
    url: fields.canonicalUrl,
    sapo: null,
    body: '',
    author: null,
    publishedAt: '2026-11-20T08:30:00+07:00',
    modifiedAt: null,
    section: null,
    tags: [],
    image: null,
    lang: 'vi',
    sourceId: 'test',
    fetchedAt: '2026-11-20T09:00:00+07:00',
    contentHash: 'x',
    id: articleId(fields.canonicalUrl),
    ...fields,
  });
}
