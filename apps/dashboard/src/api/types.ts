// Shapes of the API routes that `@jobstream/client` does not cover (session, stats). Jobs, items,
// events and statuses come from `@jobstream/client` (generated from `@jobstream/contract`).
import type { JobStatus, Role } from "@jobstream/client";

export interface Session {
  userId: string;
  orgId: string;
  role: Role;
  expiresAt: string;
}

export interface TypeStat {
  type: string;
  total: number;
  completed: number;
  failed: number;
  cancelled: number;
  unfinished: number;
  successRate: number | null;
  avgDurationMs: number | null;
}

export interface QueueStat {
  type: string;
  status: JobStatus;
  jobs: number;
  avgDurationMs: number | null;
  maxDurationMs: number | null;
}

export interface QueueDepth {
  type: string;
  waiting: number;
  prioritized: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

/** Whether an operator paused a type's queue. */
export interface QueueState {
  queue: string;
  paused: boolean;
  changedAt: string | null;
}

export interface FailedJob {
  id: string;
  type: string;
  subtype: string | null;
  name: string;
  attempts: number;
  maxAttempts: number;
  attemptsLeft: number;
  error: { code: string; message: string } | null;
  failedAt: string | null;
}
