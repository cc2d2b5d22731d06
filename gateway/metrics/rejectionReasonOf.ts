/**
 * Why the gateway refused a request before it cost the subgraphs anything, for the
 * `portico_rejections_total` metric; undefined for codes that are not a refusal.
 */
export function rejectionReasonOf(
  code: unknown,
): 'rate_limit' | 'demand_control' | 'trusted_documents' | 'body_limit' | 'authentication' | 'overloaded' | undefined {
  if (typeof code !== 'string') return undefined;
  if (code === 'RATE_LIMITED') return 'rate_limit';
  if (code === 'COST_LIMIT_EXCEEDED' || /^MAX_[A-Z_]+_EXCEEDED$/.test(code)) return 'demand_control';
  if (code === 'PERSISTED_QUERY_NOT_ALLOWED') return 'trusted_documents';
  if (code === 'PAYLOAD_TOO_LARGE') return 'body_limit';
  if (code === 'UNAUTHENTICATED') return 'authentication';
  if (code === 'OVERLOADED') return 'overloaded';
  return undefined;
}
