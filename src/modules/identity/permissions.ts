/**
 * Roles and the named permissions each holds. Deny by default: a permission not listed
 * for a role is refused, and a route names exactly one permission (or `public`).
 * `:own` permissions let a caller reach only their own records; the service enforces the
 * ownership, the permission says the route is open to that role at all.
 */
export const ROLES = ['customer', 'support_agent', 'staff', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Every permission with what it allows; routes must use one of these names. */
export const PERMISSIONS = {
  'account:self': 'Read and manage one\'s own account, session and MFA (any signed-in user)',
  'addresses:own': 'Manage one\'s own address book',
  'privacy:own': 'Export or erase one\'s own personal data',
  'carts:own': 'Use one\'s own carts',
  'orders:read:own': 'Read one\'s own orders',
  'orders:read:any': 'Read every order',
  'orders:write': 'Change orders: cancel, refund, fulfil',
  'returns:own': 'Request returns of one\'s own orders',
  'reviews:write:own': 'Write and edit one\'s own product reviews',
  'reviews:moderate': 'Approve, reject and remove reviews',
  'support:converse:own': 'Talk to support about one\'s own matters',
  'support:read': 'Read support conversations',
  'support:reply': 'Reply to and take over support conversations',
  'customers:read': 'Read customer accounts (support and staff)',
  'products:write': 'Create and change products, prices, collections and categories',
  'media:write': 'Upload and change product media',
  'inventory:write': 'Change stock levels and locations',
  'promotions:write': 'Create and change promotions and discount codes',
  'regions:write': 'Manage regions, their tax rates and shipping options',
  'insights:read': 'Read dashboards, forecasts, segments and the copilot',
  'webhooks:write': 'Manage outbound webhooks',
  'users:write': 'Create staff accounts and change roles',
  'api-keys:write': 'Create and revoke API keys',
  'audit:read': 'Read the audit log',
  'dev-mailbox:read': 'Read the dev mailbox (when no SMTP server is configured)',
} as const;
export type Permission = keyof typeof PERMISSIONS;

const CUSTOMER: readonly Permission[] = [
  'account:self', 'addresses:own', 'privacy:own', 'carts:own', 'orders:read:own', 'returns:own', 'reviews:write:own', 'support:converse:own',
];
const SUPPORT_AGENT: readonly Permission[] = ['account:self', 'support:read', 'support:reply', 'customers:read', 'orders:read:any'];
const STAFF: readonly Permission[] = [
  'account:self', 'support:read', 'support:reply', 'customers:read', 'orders:read:any', 'orders:write',
  'products:write', 'media:write', 'inventory:write', 'promotions:write', 'regions:write', 'reviews:moderate', 'insights:read',
];
const ADMIN: readonly Permission[] = [...STAFF, 'webhooks:write', 'users:write', 'api-keys:write', 'audit:read', 'dev-mailbox:read'];

export const ROLE_PERMISSIONS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  customer: new Set(CUSTOMER),
  support_agent: new Set(SUPPORT_AGENT),
  staff: new Set(STAFF),
  admin: new Set(ADMIN),
};

export const isPermission = (name: string): name is Permission => Object.hasOwn(PERMISSIONS, name);
export const isRole = (name: string): name is Role => (ROLES as readonly string[]).includes(name);

export function roleAllows(role: Role, permission: string): boolean {
  return isPermission(permission) && ROLE_PERMISSIONS[role].has(permission);
}

/**
 * Permissions an admin may use before enrolling in MFA: only enough to enrol. Everything
 * else an admin can do needs a session that passed a TOTP (or recovery code) check.
 */
export const WITHOUT_MFA: ReadonlySet<Permission> = new Set(['account:self']);
