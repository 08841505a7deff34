/** The Elasticsearch query of a search: parsed text, field filters, UI facet selections, and the agency scope. */
import { DateTime } from 'luxon';
import { agencyState } from '../../rules/cases/article-states.ts';
import { scopeFilter, scopeOf, type Principal } from '../auth/principal.ts';
import { textQuery, type Query } from '../../store/search.ts';
import type { FieldFilters, FilterField, Node, ParsedQuery } from './parse.ts';

const ZONE = 'Asia/Ho_Chi_Minh';

/** YYYY-MM-DD or DD/MM/YYYY → local day bounds; null when not a date. */
function day(value: string): DateTime | null {
  const iso = DateTime.fromISO(value, { zone: ZONE });
  if (iso.isValid && /^\d{4}-\d{2}-\d{2}$/.test(value)) return iso;
  const vn = DateTime.fromFormat(value, 'd/M/yyyy', { zone: ZONE });
  return vn.isValid ? vn : null;
}

function nodeQuery(node: Node): Query {
  switch (node.type) {
    case 'text':
      return textQuery(node.text, { phrase: node.phrase });
    case 'not':
      return { bool: { must_not: [nodeQuery(node.node)] } };
    case 'or':
      return { bool: { should: node.nodes.map(nodeQuery), minimum_should_match: 1 } };
    case 'and': {
      // Adjacent plain words form one multi-word query: it scores phrase proximity, which single words cannot.
      const must: Query[] = [];
      let words: string[] = [];
      const flush = () => {
        if (words.length) must.push(textQuery(words.join(' ')));
        words = [];
      };
      for (const n of node.nodes) {
        if (n.type === 'text' && !n.phrase) words.push(n.text);
        else {
          flush();
          must.push(nodeQuery(n));
        }
      }
      flush();
      return must.length === 1 ? must[0]! : { bool: { must } };
    }
  }
}

function fieldClause(field: FilterField, values: string[], principal: Principal): Query | null {
  if (values.length === 0) return null;
  switch (field) {
    case 'agency':
      return { terms: { agencyIds: values } };
    case 'province':
      return { terms: { provinces: values } };
    case 'outlet':
      return { bool: { should: [{ terms: { sourceId: values } }, { terms: { outletName: values } }], minimum_should_match: 1 } };
    case 'level':
      return { terms: { 'sensitivity.level': values } };
    case 'tone':
      return { terms: { 'sensitivity.tone': values } };
    case 'flag':
      return { terms: { flagKinds: values } };
    case 'case': {
      // An agency user filters on its own case of the article, never on another agency's.
      const agency = scopeOf(principal);
      return agency ? { terms: { caseAgencyStates: values.map((v) => agencyState(agency, v)) } } : { terms: { caseStates: values } };
    }
    case 'story':
      return { terms: { storyId: values } };
    case 'from': {
      const d = values.map(day).find((x) => x);
      return d ? { range: { publishedAt: { gte: d.startOf('day').toISO()! } } } : null;
    }
    case 'to': {
      const d = values.map(day).find((x) => x);
      return d ? { range: { publishedAt: { lte: d.endOf('day').toISO()! } } } : null;
    }
  }
}

export function mergeFilters(a: FieldFilters, b: FieldFilters): FieldFilters {
  const out: FieldFilters = { ...a };
  for (const [k, v] of Object.entries(b) as Array<[FilterField, string[]]>) if (v.length) out[k] = [...(out[k] ?? []), ...v];
  return out;
}

/** The whole query: agency users get their agency filter here, whatever they typed or selected. */
export function buildQuery(parsed: ParsedQuery, selected: FieldFilters, principal: Principal): Query {
  const include = mergeFilters(parsed.include, selected);
  const filter: Query[] = [...scopeFilter(principal, 'agencyIds')];
  for (const [f, v] of Object.entries(include) as Array<[FilterField, string[]]>) {
    const c = fieldClause(f, v, principal);
    if (c) filter.push(c);
  }
  const mustNot: Query[] = [];
  for (const [f, v] of Object.entries(parsed.exclude) as Array<[FilterField, string[]]>) {
    const c = fieldClause(f, v, principal);
    if (c) mustNot.push(c);
  }
  return { bool: { must: parsed.node ? [nodeQuery(parsed.node)] : [{ match_all: {} }], filter, must_not: mustNot } };
}
