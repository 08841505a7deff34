/** A URL discovery found, with what the feed or sitemap said about its dates. */
export interface Candidate {
  url: string;
  via: 'feed' | 'sitemap' | 'listing';
  publishedAt: string | null;
  modifiedAt: string | null;
}
