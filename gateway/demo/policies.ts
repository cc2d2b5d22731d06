import type { PolicyDecider } from '../authorization/loadPolicyModule.js';

/**
 * The demo's `@policy` decisions: `inventory:staff` holds for callers whose token has
 * `"role": "staff"` (`portico token --sub 1 --claim role=staff`). An operator's module has the
 * same shape: a default export that gets the claims and the policy names and returns those that hold.
 */
const decidePolicies: PolicyDecider = ({ claims, policies }) => policies.filter((policy) => policy === 'inventory:staff' && claims.role === 'staff');

export default decidePolicies;
