import { z } from 'zod';
import { RoleSchema } from './http-dtos.ts';

/** User management (admin): users never carry password hashes on the wire; sessions never their secret. */
export const UserNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, . _ - (max 64)');
export const PasswordSchema = z.string().min(8, 'at least 8 characters').max(1000);

export const UserDtoSchema = z.object({ name: z.string(), role: RoleSchema, createdAt: z.number() });
export type UserDto = z.infer<typeof UserDtoSchema>;

export const UserSessionDtoSchema = z.object({
  /** Public id (a prefix of the stored hash; the cookie secret is never shown). */
  id: z.string(),
  user: z.string(),
  role: RoleSchema,
  createdAt: z.number(),
  expiresAt: z.number(),
  /** True for the session that made the request. */
  current: z.boolean(),
});
export type UserSessionDto = z.infer<typeof UserSessionDtoSchema>;

/** GET /api/users (admin). */
export const UsersListSchema = z.object({ users: z.array(UserDtoSchema), sessions: z.array(UserSessionDtoSchema) });
export type UsersList = z.infer<typeof UsersListSchema>;

/** POST /api/users (admin): create a user (409 CONFLICT-like INVALID_INPUT when it exists). */
export const UserCreateRequestSchema = z.object({ name: UserNameSchema, role: RoleSchema, password: PasswordSchema });
export type UserCreateRequest = z.infer<typeof UserCreateRequestSchema>;

/** POST /api/users/:name/password (admin, or the user for itself): ends that user's other sessions. */
export const PasswordChangeRequestSchema = z.object({ password: PasswordSchema });
export type PasswordChangeRequest = z.infer<typeof PasswordChangeRequestSchema>;
