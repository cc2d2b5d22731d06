// The plans scenario's records. Legacy's fees are what the monolith used to charge; modern's
// are what it charges now: an answer that shows a legacy fee was routed past an @override.

export interface PlanRecord {
  id: string;
  name: string;
  legacyFee: number;
  fee: number;
  internalCode: string;
  features: string[];
}

export const plans: PlanRecord[] = [
  { id: 'basic', name: 'Basic', legacyFee: 9, fee: 10, internalCode: 'B-01', features: ['email'] },
  { id: 'pro', name: 'Pro', legacyFee: 29, fee: 25, internalCode: 'P-07', features: ['email', 'sso'] },
  { id: 'team', name: 'Team', legacyFee: 99, fee: 80, internalCode: 'T-12', features: ['email', 'sso', 'audit'] },
];

export const planById = new Map(plans.map((plan) => [plan.id, plan]));
