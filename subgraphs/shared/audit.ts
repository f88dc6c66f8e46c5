import type { Caller } from '../../lib/auth/caller';
import type { Access } from './access';
import { forbidden } from './errors';

/** Who created and last changed a record; every stored record carries one. */
export interface AuditTrail {
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
}

export function newAuditTrail(caller: Caller, now = new Date()): AuditTrail {
  return { createdAt: now, createdBy: caller.sub, updatedAt: now, updatedBy: caller.sub };
}

/** The `$set` fields that record a change by `caller`. */
export function auditUpdate(caller: Caller, now = new Date()): { 'audit.updatedAt': Date; 'audit.updatedBy': string } {
  return { 'audit.updatedAt': now, 'audit.updatedBy': caller.sub };
}

/** The `audit` field of every type: admins only. */
export function auditField(record: { audit: AuditTrail }, _args: unknown, context: { access: Access }): AuditTrail {
  if (!context.access.isAdmin) throw forbidden('The audit trail is for admins.');
  return record.audit;
}
