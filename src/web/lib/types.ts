/** The JSON API's answers, as the server's own types (type imports only: nothing of the server is bundled). */
import type { attributeAllModels, attributeWorkspace } from '../../attribution/workspace.attribution.js';
import type { checkinJson } from '../../goals/checkins.js';
import type { StatusReport } from '../../goals/status.js';
import type { KpiResult } from '../../metrics/kpi.query.js';
import type { planFunnel, planReview, planTarget } from '../../planning/plan.js';
import type { planRoadmap } from '../../planning/plan.roadmap.js';

export type { GoalNode, ObjectiveStatus } from '../../goals/status.js';
export type { KpiResult, KpiRow } from '../../metrics/kpi.query.js';

/** `GET /api/v1/goals`. */
export interface GoalsAnswer {
  as_of: string;
  goals: StatusReport['tree'];
  objectives: StatusReport['objectives'];
}
/** `GET /api/v1/goals/overview`: the tree as `/goals`, and each objective's actual at a few dates. */
export type { GoalsOverview as OverviewAnswer } from '../../usecases/goals.usecase.js';
export type KpiAnswer = KpiResult;
export interface KpiCatalogEntry {
  id: string;
  name: string;
  family: string;
  unit: string;
  direction: string;
  formula: string;
  definition: string;
  /** What its rows can be filtered by (market, …). */
  filters?: string[];
}
export type AttributionOne = Awaited<ReturnType<typeof attributeWorkspace>>;
export type AttributionAll = Awaited<ReturnType<typeof attributeAllModels>>;
/** An answer the server may serve from before tracking data arrived (store/read.cache.ts `stamped`). */
export type Stamped<T> = T & { stale?: true; computed_at?: string };
export type TargetAnswer = Awaited<ReturnType<typeof planTarget>>;
export type FunnelAnswer = Awaited<ReturnType<typeof planFunnel>>;
export type ReviewAnswer = Awaited<ReturnType<typeof planReview>>;
export type RoadmapAnswer = Awaited<ReturnType<typeof planRoadmap>>;
export type Checkin = ReturnType<typeof checkinJson>;

/** `GET /api/v1/auth/me` and `POST /api/v1/auth/signin` (access contract). */
export interface Me {
  user: { id: string; email: string; name: string | null };
  workspace: { slug: string; name: string; timezone: string; currency: string };
  role: 'viewer' | 'editor' | 'admin';
  workspaces: Array<{ slug: string; name: string; role: string }>;
  csrf: string;
}
