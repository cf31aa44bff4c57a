// The API's request and response shapes as zod schemas: the same definitions validate requests in
// the handlers and describe the API in /api/openapi.json. Domain shapes come from src/domain.
import { z } from "zod";

// Validation messages reach users: Chinese, not zod's English defaults.
z.config(z.locales.zhCN());
import { PerfDocSchema } from "../src/domain/document.ts";
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

export const HealthSchema = z
  .object({
    ok: z.boolean(),
    schemaVersion: z.number(),
    llm: z.object({ configured: z.boolean(), model: z.string().nullable() }),
    drafter: z.enum(["template", "llm"]),
    notice: z.string().nullable(),
    maxUploadBytes: z.number(),
    tokenRequired: z.boolean(),
  })
  .meta({ id: "Health" });

export type DocumentSummary = z.infer<typeof DocumentSummarySchema>;
export type FindingView = z.infer<typeof FindingViewSchema>;
export type DocumentView = z.infer<typeof DocumentViewSchema>;
export type DraftView = z.infer<typeof DraftViewSchema>;
export type HealthView = z.infer<typeof HealthSchema>;
