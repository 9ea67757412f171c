import { z } from 'zod';
import { ROLES } from './auth.service';

export const createApiKeyBody = z.object({
  name: z.string().trim().min(1).max(200),
  role: z.enum(ROLES),
});

export const apiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
});

export const createdApiKey = apiKeyView.extend({ key: z.string().describe('shown only in this response') });

export const idParams = z.object({ id: z.string().uuid() });
