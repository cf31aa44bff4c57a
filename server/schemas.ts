// The API's request and response shapes as zod schemas: the same definitions validate requests in
// the handlers and describe the API in /api/openapi.json. Domain shapes come from src/domain.
import { z } from "zod";

// Validation messages reach users: Chinese, not zod's English defaults.
z.config(z.locales.zhCN());
import { PerfDocSchema, ProvenanceSchema } from "../src/domain/document.ts";
import { FindingSchema, PlaceSchema, SuggestionSchema } from "../src/domain/finding.ts";

export const IdParam = z.coerce.number({ error: "编号应为正整数" }).int("编号应为正整数").positive("编号应为正整数");

export const ErrorSchema = z
  .object({
    code: z.string().describe("稳定的错误代码，如 NOT_FOUND、UNRESOLVED_ERRORS"),
    message: z.string().describe("中文说明"),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    findings: z.array(z.lazy(() => FindingViewSchema)).optional(),
  })
  .meta({ id: "Error" });

// ── requests ───────────────────────────────────────────────────────────────────────────────

const name = z.string().trim().min(1, "名称不能为空").max(100, "名称不能超过 100 个字");

export const CreateWorkspaceBody = z.object({ name });
export const RenameWorkspaceBody = z.object({ name });

export const EditBody = z
  .object({
    field: z.string().min(1, "请给出要修改的字段").max(100).describe("交换格式路径，如 indicators[3].actual、funds.total.executed"),
    value: z.union([z.string().max(20_000, "内容过长（最多 20000 字）"), z.number(), z.null()]).describe("新值；数字字段可写“12.5”“１２.５”“12.5万元”；表格单元格最多 2000 字"),
    baseVersion: z.number().int().positive().optional().describe("修改所依据的版本；与当前版本不同则返回 409"),
  });

export const ApplySuggestionBody = z
  .object({
    findingId: z.string().max(300).optional(),
    code: z.string().max(100).optional(),
    field: z.string().max(100).optional(),
    /** A model's proposal for `field` (from /llm-suggestions): re-checked for measurability before it is written. */
    value: z.string().max(200).optional(),
    baseVersion: z.number().int().positive().optional(),
  })
  .refine((b) => b.findingId !== undefined || b.field !== undefined, { message: "请给出 findingId，或 code 与 field，或 field" });

export const OverrideInput = z.object({
  findingId: z.string().min(1).max(300),
  reason: z.string().max(2000, "理由不能超过 2000 字"),
});

export const AcceptBody = z
  .object({
    version: z.number().int().positive().optional().describe("确认的版本（默认当前版本）"),
    overrides: z.array(OverrideInput).max(500).default([]).describe("对每个仍存在的错误级问题写明不修改的理由"),
  });

export const DraftBody = z
  .object({ request: z.string().max(2000).optional().describe("用户的原话，如“帮我起草今年的自评报告”") });

export const ReviseBody = z
  .object({
    request: z.string().trim().min(1, "请写明修改要求").max(2000),
    section: z.number().int().min(0).max(20).optional().describe("要修改的部分（从 0 起）；省略时从 request 中识别“第五部分”"),
  });

export const ExportQuery = z.object({
  format: z.enum(["docx", "xlsx", "json"], { error: "导出格式应为 docx、xlsx 或 json" }).default("docx"),
});

const format = z.enum(["docx", "xlsx", "json"], { error: "导出格式应为 docx、xlsx 或 json" });

export const WorkspaceJobBody = z.discriminatedUnion(
  "kind",
  [
    z.object({
      kind: z.literal("check").describe("批量核验：重新核验工作区每个文件的每份文档"),
      fileIds: z.array(z.number().int().positive()).min(1).max(100_000).optional().describe("只核验这些文件；省略时核验全部"),
    }),
    z.object({ kind: z.literal("review").describe("批量审核工作区的申报表") }),
    z.object({ kind: z.literal("export").describe("导出整个工作区（结果文件从 /api/jobs/{id}/output 下载）"), format: format.default("docx") }),
  ],
  { error: "任务类型应为 check（批量核验）、review（批量审核申报表）或 export（导出工作区）" },
);

export const DocumentJobBody = z.object({
  kind: z.literal("draft", { error: "文档的任务类型应为 draft（起草自评报告）" }),
  request: z.string().max(2000).optional().describe("用户的原话，如“帮我起草今年的自评报告”"),
  drafter: z.enum(["auto", "template", "llm"]).optional().describe("auto（默认）：已配置大模型则用大模型，否则用模板"),
});

export const JobsQuery = z.object({
  state: z.enum(["queued", "running", "succeeded", "failed", "cancelled"], { error: "状态应为 queued、running、succeeded、failed 或 cancelled" }).optional(),
});

export const ReviewQuery = z.object({
  item: z.string().trim().min(1, "审核项不能为空").max(100).optional().describe("只列出有该审核项的项目：审核项名称（测算依据不规范）或代码（CALC_BASIS）"),
});

/** Same rule as an override's reason: letters and digits only count (MIN_REASON_CHARS in src/review/overrides.ts). */
export const WaiveBody = z.object({
  code: z.string().trim().min(1, "请给出审核项代码").max(100).describe("审核意见的编号（即审核项代码，如 CALC_BASIS）"),
  reason: z.string().max(2000, "理由不能超过 2000 字").nullable().describe("豁免理由（至少 4 个字，记入审计记录）；null 表示撤销豁免"),
  by: z.string().max(40, "姓名不能超过 40 个字").optional().describe("豁免人；省略时取请求头 X-User"),
});

export const LiftWaiverQuery = z.object({ code: z.string().trim().min(1, "请给出审核项代码（?code=）").max(100) });

// ── responses ──────────────────────────────────────────────────────────────────────────────

export const WorkspaceSchema = z
  .object({ id: z.number(), name: z.string(), createdAt: z.string(), updatedAt: z.string(), files: z.number(), documents: z.number() })
  .meta({ id: "Workspace" });

const Counts = z.object({ error: z.number(), warning: z.number(), info: z.number() });

export const DocumentSummarySchema = z
  .object({
    id: z.number(),
    workspaceId: z.number(),
    fileId: z.number(),
    fileName: z.string(),
    index: z.number(),
    kind: z.enum(["自评表", "目标申报表", "部门整体"]),
    name: z.string().nullable(),
    year: z.number().nullable(),
    version: z.number(),
    acceptedVersion: z.number().nullable(),
    acceptedBy: z.string().nullable(),
    acceptedAt: z.string().nullable(),
    updatedAt: z.string(),
    counts: Counts,
  })
  .meta({ id: "DocumentSummary" });

export const FileSchema = z
  .object({
    id: z.number(),
    workspaceId: z.number(),
    name: z.string(),
    size: z.number(),
    sha256: z.string(),
    format: z.string().nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    uploadedBy: z.string().nullable(),
    createdAt: z.string(),
    documents: z.array(DocumentSummarySchema),
  })
  .meta({ id: "File" });

export const UploadResultSchema = z
  .object({
    files: z.array(
      z.union([
        FileSchema,
        z.object({ name: z.string(), size: z.number(), error: z.object({ code: z.string(), message: z.string() }), stored: z.literal(false) }),
      ]),
    ),
  })
  .meta({ id: "UploadResult" });

export const FindingViewSchema = FindingSchema.extend({
  id: z.string().describe("本文档内稳定的问题编号（代码@字段），用于应用建议和填写不修改理由"),
  places: z
    .array(PlaceSchema.extend({ id: z.string().describe("该处的编号（代码@字段），用于应用该处的建议") }))
    .optional()
    .describe("同一代码的问题合并后，列出每一处及其修改建议"),
}).meta({ id: "Finding" });

const LineScore = z.object({
  index: z.number(),
  group: z.array(z.number()),
  weight: z.number().nullable(),
  printed: z.number().nullable(),
  computed: z.number().nullable(),
  formula: z.string(),
});

export const ScoringSchema = z
  .object({
    profile: z.string(),
    execution: z.object({ weight: z.number(), printed: z.number().nullable(), computed: z.number().nullable(), rate: z.number().nullable(), formula: z.string() }),
    lines: z.array(LineScore),
    total: z.object({ printed: z.number().nullable(), sumOfPrinted: z.number(), recomputed: z.number(), grade: z.string() }),
  })
  .meta({ id: "Scoring" });

export const DocumentViewSchema = z
  .object({
    document: DocumentSummarySchema,
    data: PerfDocSchema,
    findings: z.array(FindingViewSchema),
    scoring: ScoringSchema.nullable(),
    suggestions: z.array(z.object({ field: z.string(), index: z.number(), suggestion: SuggestionSchema })),
    edit: z
      .object({ field: z.string(), oldValue: z.unknown(), newValue: z.unknown(), version: z.number() })
      .optional()
      .describe("PATCH 与应用建议时：本次修改"),
  })
  .meta({ id: "DocumentView" });

export const DraftViewSchema = z
  .object({
    id: z.number(),
    documentId: z.number(),
    documentVersion: z.number(),
    parentId: z.number().nullable(),
    request: z.string().nullable(),
    sections: z.array(z.object({ heading: z.string(), text: z.string() })),
    drafter: z.enum(["template", "llm"]),
    promptVersion: z.string().nullable(),
    findings: z.array(FindingViewSchema),
    usage: z.object({ totalTokens: z.number() }).nullable(),
    accepted: z.boolean(),
    acceptedBy: z.string().nullable(),
    acceptedAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: "Draft" });

export const DraftEventSchema = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("progress"), message: z.string() }),
    z.object({ type: z.literal("delta"), section: z.number(), text: z.string() }),
    z.object({ type: z.literal("section"), index: z.number(), heading: z.string(), text: z.string() }),
    z.object({ type: z.literal("done"), draft: DraftViewSchema }),
    z.object({ type: z.literal("error"), code: z.string(), message: z.string() }),
  ])
  .meta({ id: "DraftEvent", description: "text/event-stream：每条事件的 event 为 type，data 为本 JSON" });

export const JobSchema = z
  .object({
    id: z.number(),
    kind: z.string().describe("check、review、draft 或 export"),
    kindName: z.string().describe("中文名称，如 批量核验"),
    state: z.enum(["queued", "running", "succeeded", "failed", "cancelled"]),
    workspaceId: z.number().nullable(),
    payload: z.unknown(),
    progress: z.object({ done: z.number(), total: z.number().nullable(), current: z.string().nullable().describe("正在处理的文件") }),
    result: z.unknown().describe("成功后的结果（批量核验：每个文件、每份文档的问题数）"),
    error: z.string().nullable().describe("失败原因，或重试前的上一次错误"),
    attempts: z.number(),
    runAfter: z.string().nullable().describe("重试前的等待截止时间"),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: "Job" });

export const JobEventSchema = z
  .object({ type: z.enum(["progress", "end"]), job: JobSchema })
  .meta({ id: "JobEvent", description: "text/event-stream：progress（状态或进度有变化）、end（任务已结束：成功、失败或取消），data 为本 JSON" });

export const VersionSchema = z
  .object({
    version: z.number(),
    source: z.enum(["extract", "edit", "suggestion"]),
    field: z.string().nullable(),
    oldValue: z.unknown(),
    newValue: z.unknown(),
    user: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: "DocumentVersion" });

export const AuditSchema = z
  .object({
    id: z.number(),
    workspaceId: z.number().nullable(),
    documentId: z.number().nullable(),
    draftId: z.number().nullable(),
    action: z.string(),
    code: z.string().nullable(),
    field: z.string().nullable(),
    reason: z.string().nullable(),
    detail: z.unknown(),
    user: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: "AuditEntry" });

export const ReviewEvidenceSchema = z
  .object({
    text: z.string().describe("证据所在单元格的原文（空白单元格为空串）"),
    where: z.string().describe("位置，如“产出/数量/会计凭证数量/目标值”"),
    field: z.string().describe("审核所依据的申报表字段路径，如 targets[3].value、calc_basis"),
    cell: z.string().nullable().describe("该证据在本文档表单上的字段路径（部门整体目标表为 indicators[3].target 等）；表单上没有对应单元格时为 null"),
    provenance: ProvenanceSchema.nullable(),
  })
  .meta({ id: "ReviewEvidence" });

export const OpinionViewSchema = z
  .object({
    id: z.string().describe("本文档内审核意见的编号（审核项代码），用于豁免"),
    dimension: z.string().describe("审核维度：完整性、相关性、适当性、可行性"),
    item: z.string().describe("审核项名称，如“测算依据不规范”"),
    code: z.string(),
    severity: z.enum(["error", "warning"]),
    where: z.string(),
    text: z.string().describe("审核意见（填好证据的标准意见）"),
    suggestion: z.string().nullable(),
    evidence: z.array(ReviewEvidenceSchema),
    waived: z
      .object({ by: z.string().nullable(), reason: z.string(), at: z.string() })
      .nullable()
      .describe("已豁免时：豁免人、理由、时间；豁免的意见不进入审核意见表"),
  })
  .meta({ id: "ReviewOpinion" });

export const ProjectReviewViewSchema = z
  .object({
    documentId: z.number(),
    fileId: z.number(),
    fileName: z.string(),
    sheet: z.string().nullable(),
    index: z.number(),
    kind: z.enum(["目标申报表", "部门整体"]),
    version: z.number().describe("审核所依据的文档版本"),
    code: z.string().nullable().describe("项目编码"),
    name: z.string().nullable(),
    unit: z.string().nullable().describe("申请单位（实施单位）"),
    amount: z.number().nullable().describe("本年度项目金额，按表上填写"),
    moneyUnit: z.string().nullable(),
    items: z.array(z.string()).describe("审核项名称（含已豁免的），按意见顺序"),
    counts: z.object({ error: z.number(), warning: z.number(), waived: z.number() }).describe("未豁免的错误级、意见级条数，及已豁免条数"),
    dimensions: z.array(z.string()).describe("审核维度，按审核清单顺序（审核意见表的列）"),
    complete: z.boolean().describe("原文完整；为 false 时（摘录被截断）需要整表的审核项未核对"),
    opinions: z.array(OpinionViewSchema),
  })
  .meta({ id: "ProjectReview" });

export const ReviewItemCountSchema = z.object({
  code: z.string(),
  item: z.string(),
  dimension: z.string(),
  severity: z.enum(["error", "warning"]),
  projects: z.number().describe("有该审核项的项目数（含已豁免）"),
  open: z.number().describe("其中未豁免的项目数"),
});

export const WorkspaceReviewSchema = z
  .object({
    workspace: z.object({ id: z.number(), name: z.string() }),
    checklist: z.object({ name: z.string(), dimensions: z.array(z.string()) }),
    total: z.number().describe("工作区内审核的项目数（筛选前）"),
    item: z.object({ code: z.string(), name: z.string() }).nullable().describe("所用的筛选审核项"),
    items: z.array(ReviewItemCountSchema).describe("各审核项的项目数（供筛选），按审核清单顺序，只列出现过的"),
    projects: z.array(ProjectReviewViewSchema),
  })
  .meta({ id: "WorkspaceReview" });

export const HealthSchema = z
  .object({
    ok: z.boolean(),
    schemaVersion: z.number(),
    llm: z.object({ configured: z.boolean(), model: z.string().nullable() }),
    drafter: z.enum(["template", "llm"]),
    notice: z.string().nullable(),
    maxUploadBytes: z.number(),
    tokenRequired: z.boolean(),
    jobs: z
      .object({ engine: z.enum(["local", "pg-boss"]).describe("local：在服务进程内执行（SQLite）；pg-boss：PostgreSQL 任务队列，由 jixiao worker 执行") })
      .nullable()
      .describe("长任务（批量核验、审核、导出、起草）；null 表示本服务未启用任务队列"),
  })
  .meta({ id: "Health" });

export type DocumentSummary = z.infer<typeof DocumentSummarySchema>;
export type FindingView = z.infer<typeof FindingViewSchema>;
export type DocumentView = z.infer<typeof DocumentViewSchema>;
export type DraftView = z.infer<typeof DraftViewSchema>;
export type JobView = z.infer<typeof JobSchema>;
export type HealthView = z.infer<typeof HealthSchema>;
export type OpinionView = z.infer<typeof OpinionViewSchema>;
export type ProjectReviewView = z.infer<typeof ProjectReviewViewSchema>;
export type ReviewItemCount = z.infer<typeof ReviewItemCountSchema>;
export type WorkspaceReview = z.infer<typeof WorkspaceReviewSchema>;
