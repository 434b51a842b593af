import { z } from "zod";

const id = z.string().min(1).max(64);

/** The wizard's "create the runner in GitLab" form (POST /user/runners parameters). */
export const createRunnerSchema = z
  .object({
    gitlabConnectionId: id,
    runnerType: z.enum(["instance_type", "group_type", "project_type"]),
    groupId: z.coerce.number().int().positive().optional(),
    projectId: z.coerce.number().int().positive().optional(),
    description: z.string().trim().min(1).max(255),
    tagList: z.array(z.string().trim().min(1).max(255)).max(50).default([]),
    runUntagged: z.boolean().default(true),
    locked: z.boolean().default(true),
    paused: z.boolean().default(false),
    maximumTimeout: z.coerce.number().int().min(600).max(2_592_000).optional(),
  })
  .refine((v) => v.runnerType !== "group_type" || v.groupId !== undefined, {
    path: ["groupId"],
    message: "groupIdRequired",
  })
  .refine((v) => v.runnerType !== "project_type" || v.projectId !== undefined, {
    path: ["projectId"],
    message: "projectIdRequired",
  });
