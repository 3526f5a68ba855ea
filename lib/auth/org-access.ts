/**
 * How the session was opened decides which orgs it may act in: a password session any org of the user's
 * whose "SSO required" switch is off (turning it on ends such sessions at their next request); a single
 * sign-on session (`sso:<orgId>`) only the org whose identity provider vouched for the user.
 */
export function sessionMayUseOrg(via: string | undefined, orgId: string, ssoRequired: boolean): boolean {
  if (via?.startsWith("sso:")) return via === `sso:${orgId}`;
  return !ssoRequired;
}
