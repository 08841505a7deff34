/** Public API of the article extraction stage. */
import { decodeHtml } from './decode.ts';
import { extractArticle, type ExtractOptions } from './article.ts';
import type { ExtractedArticle } from '../../model/records.ts';

export {
  decodeHtml,
  charsetFromContentType,
  charsetFromMeta,
  normalizeCharset,
  type DecodedHtml,
} from './decode.ts';
export {
  parseViDate,
  parseViDateDetailed,
  VN_ZONE,
  type ParsedDate,
  type DateParseResult,
  type DatePrecision,
  type ParseViDateOptions,
} from './dates-vi.ts';
export {
  extractArticle,
  ExtractOptions,
  stripSiteSuffix,
  looksLikeByline,
  cleanAuthor,
  prepareHtml,
} from './article.ts';
export { SiteOverrides, isValidSelector } from './overrides.ts';
export {
  normalizeUrl,
  resolveUrl,
  sameSite,
  registrableDomain,
  isHttpUrl,
  type NormalizeUrlOptions,
} from './url.ts';

/** Bytes as fetched (or read from a file) → article: decode the charset, then extract. */
export function extractFromBytes(
  bytes: Uint8Array,
  opts: ExtractOptions & { contentType?: string },
): ExtractedArticle & { charset: string } {
  const { html, charset } = decodeHtml(bytes, opts.contentType);
  const { contentType: _contentType, ...rest } = opts;
  return { ...extractArticle(html, rest), charset };
}
