import { createHash, randomBytes } from 'node:crypto';
import { NotFoundError, UnauthorizedError } from '../../shared/errors';
import type { AuthRepository, ApiKeyRow } from './auth.repository';

export const ROLES = ['admin', 'ops', 'marketer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** What a route needs to write: `read` lets every role in; the others name the area's writer. */
export type Access = 'read' | 'ops' | 'marketer' | 'admin';

export interface Principal {
  keyId: string;
  name: string;
  role: Role;
}

/** API.md's write matrix: admin writes everything; ops and marketer their own areas; viewer nothing. */
export function canAccess(role: Role, access: Access): boolean {
  if (access === 'read' || role === 'admin') return true;
  return role === access;
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

export const generateApiKey = (): string => `cb_${randomBytes(24).toString('base64url')}`;

const toView = (row: ApiKeyRow) => ({ id: row.id, name: row.name, role: row.role, createdAt: row.createdAt.toISOString() });

export function createAuthService(deps: { repository: AuthRepository }) {
  const { repository } = deps;
  return {
    async authenticate(key: string | undefined): Promise<Principal> {
      if (!key) throw new UnauthorizedError();
      const row = await repository.findByHash(hashApiKey(key));
      if (!row) throw new UnauthorizedError();
      return { keyId: row.id, name: row.name, role: row.role };
    },

    /**
     * Makes sure an admin key exists. With ADMIN_API_KEY set, that key is registered; otherwise,
     * on first boot only, one is generated and returned so the caller can print it once.
     */
    async bootstrapAdmin(configuredKey: string | undefined): Promise<string | undefined> {
      if (configuredKey) {
        await repository.insertIfAbsent({ name: 'bootstrap admin', role: 'admin', keyHash: hashApiKey(configuredKey) });
        return undefined;
      }
      if ((await repository.countAdmins()) > 0) return undefined;
      const key = generateApiKey();
      await repository.insertIfAbsent({ name: 'bootstrap admin', role: 'admin', keyHash: hashApiKey(key) });
      return key;
    },

    async create(input: { name: string; role: Role }) {
      const key = generateApiKey();
      const row = await repository.insert({ name: input.name, role: input.role, keyHash: hashApiKey(key) });
      return { ...toView(row), key };
    },

    list: async () => (await repository.list()).map(toView),

    async remove(id: string): Promise<void> {
      if (!(await repository.delete(id))) throw new NotFoundError('api key', id);
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
