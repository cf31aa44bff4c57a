// OpenAPI 3.1 description generated from the same zod schemas the handlers validate with
// (zod 4's z.toJSONSchema; OpenAPI 3.1 uses JSON Schema 2020-12 as is).
import { z } from "zod";
import * as S from "./schemas.ts";

type Json = Record<string, unknown>;

const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });
const inline = (schema: z.ZodType, io: "input" | "output" = "input"): Json => {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Json;
  return rest;
};
const jsonContent = (schema: Json) => ({ "application/json": { schema } });

const err = (description: string) => ({ description, content: jsonContent(ref("Error")) });
const ok = (schema: Json, description = "成功") => ({ description, content: jsonContent(schema) });
const idParam = (name: string, what: string) => ({ name, in: "path", required: true, description: `${what}编号`, schema: { type: "integer", minimum: 1 } });
const body = (schema: z.ZodType) => ({ required: true, content: jsonContent(inline(schema)) });

interface Op {
  summary: string;
  tags: string[];
  parameters?: Json[];
  requestBody?: Json;
  responses: Record<string, Json>;
}

function paths(): Record<string, Record<string, Op>> {
  const ws = idParam("id", "工作区");
  const doc = idParam("id", "文档");
  const draft = idParam("id", "草稿");
  const job = idParam("id", "任务");
  const common = { "400": err("参数不正确"), "401": err("需要访问令牌") };
  const itemQuery = { name: "item", in: "query", required: false, description: "审核项名称（如 测算依据不规范）或代码（如 CALC_BASIS）", schema: { type: "string" } };
  const sse = {
    description: "text/event-stream：progress（进度）、delta（增量文本）、section（一节完成）、done（含保存后的草稿及核对结果）、error",
    content: { "text/event-stream": { schema: ref("DraftEvent") } },
  };
  return {
    "/api/health": { get: { summary: "服务状态（是否配置大模型，不含任何密钥）", tags: ["系统"], responses: { "200": ok(ref("Health")) } } },
    "/api/openapi.json": { get: { summary: "本接口说明（OpenAPI 3.1）", tags: ["系统"], responses: { "200": { description: "OpenAPI 文档" } } } },
    "/api/workspaces": {
      get: { summary: "工作区列表", tags: ["工作区"], responses: { "200": ok({ type: "object", properties: { workspaces: { type: "array", items: ref("Workspace") } } }), ...common } },
      post: { summary: "新建工作区", tags: ["工作区"], requestBody: body(S.CreateWorkspaceBody), responses: { "201": ok(ref("Workspace")), ...common } },
    },
    "/api/workspaces/{id}": {
      get: { summary: "工作区及其文件、文档", tags: ["工作区"], parameters: [ws], responses: { "200": ok({ type: "object", properties: { workspace: ref("Workspace"), files: { type: "array", items: ref("File") } } }), "404": err("不存在"), ...common } },
      patch: { summary: "重命名工作区", tags: ["工作区"], parameters: [ws], requestBody: body(S.RenameWorkspaceBody), responses: { "200": ok(ref("Workspace")), "404": err("不存在"), ...common } },
      delete: { summary: "删除工作区（连同其文件、文档和草稿；审计记录保留）", tags: ["工作区"], parameters: [ws], responses: { "200": ok({ type: "object", properties: { deleted: { type: "boolean" } } }), "404": err("不存在"), ...common } },
    },
    "/api/workspaces/{id}/files": {
      get: { summary: "文件列表（含每个文件识别出的文档）", tags: ["文件"], parameters: [ws], responses: { "200": ok({ type: "object", properties: { files: { type: "array", items: ref("File") } } }), "404": err("不存在"), ...common } },
      post: {
        summary: "上传文件（multipart/form-data，字段 files，可多个）；每个文件各自成功或各自报错",
        tags: ["文件"],
        parameters: [ws],
        requestBody: { required: true, content: { "multipart/form-data": { schema: { type: "object", properties: { files: { type: "array", items: { type: "string", format: "binary" } } } } } } },
        responses: { "200": ok(ref("UploadResult")), "404": err("工作区不存在"), "413": err("超过上传大小上限"), ...common },
      },
    },
    "/api/workspaces/{id}/documents": {
      get: { summary: "文档列表（含各级问题数）", tags: ["文档"], parameters: [ws], responses: { "200": ok({ type: "object", properties: { documents: { type: "array", items: ref("DocumentSummary") } } }), "404": err("不存在"), ...common } },
    },
    "/api/workspaces/{id}/export": {
      get: {
        summary: "导出工作区全部文档（?format=docx|xlsx|json；下载链接可带 ?token=）",
        tags: ["导出"],
        parameters: [ws, { name: "format", in: "query", schema: { type: "string", enum: ["docx", "xlsx", "json"] } }],
        responses: { "200": { description: "文件下载（Content-Disposition 含 RFC 5987 中文文件名）" }, "404": err("不存在"), ...common },
      },
    },
    "/api/workspaces/{id}/review": {
      get: {
        summary: "审核意见：工作区内每个申报表（及部门整体绩效目标表）按默认审核清单审核，含各审核项的项目数；可按审核项筛选",
        tags: ["审核"],
        parameters: [ws, itemQuery],
        responses: { "200": ok(ref("WorkspaceReview")), "404": err("不存在"), ...common },
      },
    },
    "/api/workspaces/{id}/review.xlsx": {
      get: {
        summary: "导出审核意见表（每个项目一行，按审核维度列出意见，末列小结；已豁免的意见不列入；可带 ?item= 只导出有该审核项的项目）",
        tags: ["审核"],
        parameters: [ws, itemQuery],
        responses: { "200": { description: "审核意见表 .xlsx 下载" }, "404": err("不存在"), "422": err("没有可导出的申报表"), "501": err("导出模块不可用"), ...common },
      },
    },
    "/api/documents/{id}/review": {
      get: { summary: "一个申报表的审核意见（含证据所在单元格、豁免情况）", tags: ["审核"], parameters: [doc], responses: { "200": ok(ref("ProjectReview")), "404": err("不存在"), "422": err("不是申报表，不做审核"), ...common } },
    },
    "/api/documents/{id}/review/waive": {
      post: {
        summary: "豁免一条审核意见（写明理由，记入审计记录；再次豁免同一意见则替换理由）；reason 为 null 时撤销豁免",
        tags: ["审核"],
        parameters: [doc],
        requestBody: body(S.WaiveBody),
        responses: {
          "200": ok(ref("ProjectReview")),
          "404": err("文档、审核意见或豁免不存在"),
          "422": err("理由不足 4 个字，或文档不是申报表"),
          ...common,
        },
      },
      delete: {
        summary: "撤销对一条审核意见的豁免（记入审计记录）",
        tags: ["审核"],
        parameters: [doc, { name: "code", in: "query", required: true, description: "审核项代码，如 CALC_BASIS", schema: { type: "string" } }],
        responses: { "200": ok(ref("ProjectReview")), "404": err("文档或豁免不存在"), ...common },
      },
    },
    "/api/files/{id}/content": {
      get: { summary: "下载上传的原始文件（逐字节保存）", tags: ["文件"], parameters: [idParam("id", "文件")], responses: { "200": { description: "原始文件" }, "404": err("不存在"), ...common } },
    },
    "/api/documents/{id}": {
      get: { summary: "文档：数据、问题（含修改建议）、重算得分、指标值建议", tags: ["文档"], parameters: [doc], responses: { "200": ok(ref("DocumentView")), "404": err("不存在"), ...common } },
      patch: {
        summary: "修改一个单元格 → 新版本 → 重新核验与计分",
        tags: ["文档"],
        parameters: [doc],
        requestBody: body(S.EditBody),
        responses: { "200": ok(ref("DocumentView")), "404": err("不存在"), "409": err("版本冲突"), "422": err("字段不存在或类型不符"), ...common },
      },
    },
    "/api/documents/{id}/apply-suggestion": {
      post: { summary: "一键应用某个问题（或某个字段）的修改建议", tags: ["文档"], parameters: [doc], requestBody: body(S.ApplySuggestionBody), responses: { "200": ok(ref("DocumentView")), "404": err("问题或文档不存在"), "409": err("版本冲突"), "422": err("该问题没有可直接应用的建议"), ...common } },
    },
    "/api/documents/{id}/llm-suggestions": {
      post: {
        summary: "大模型给出的可衡量指标值建议（均已通过可衡量性检查；未通过的列为 discarded）",
        tags: ["文档"],
        parameters: [doc],
        responses: {
          "200": ok({ type: "object", properties: { promptVersion: { type: ["string", "null"] }, suggestions: { type: "array", items: { type: "object" } }, discarded: { type: "array", items: { type: "object" } } } }),
          "409": err("未配置大模型"),
          "422": err("不是自评表"),
          "502": err("大模型服务出错"),
          ...common,
        },
      },
    },
    "/api/documents/{id}/versions": {
      get: { summary: "版本历史（提取及每次修改：谁、何时、字段、原值→新值）", tags: ["文档"], parameters: [doc], responses: { "200": ok({ type: "object", properties: { versions: { type: "array", items: ref("DocumentVersion") } } }), "404": err("不存在"), ...common } },
    },
    "/api/documents/{id}/audit": {
      get: { summary: "审计记录（确认与不修改理由、审核意见的豁免与撤销）", tags: ["文档"], parameters: [doc], responses: { "200": ok({ type: "object", properties: { entries: { type: "array", items: ref("AuditEntry") } } }), "404": err("不存在"), ...common } },
    },
    "/api/documents/{id}/accept": {
      post: { summary: "确认自评表：无错误级问题，或每个错误都写明理由", tags: ["确认"], parameters: [doc], requestBody: body(S.AcceptBody), responses: { "200": ok(ref("DocumentView")), "404": err("不存在"), "409": err("仍有未处理的错误级问题（findings 列出）或版本冲突"), ...common } },
    },
    "/api/documents/{id}/export": {
      get: { summary: "导出一个文档（?format=docx|xlsx|json；docx 含已确认或最新的报告草稿）", tags: ["导出"], parameters: [doc, { name: "format", in: "query", schema: { type: "string", enum: ["docx", "xlsx", "json"] } }], responses: { "200": { description: "文件下载" }, "404": err("不存在"), "501": err("导出模块不可用"), ...common } },
    },
    "/api/documents/{id}/drafts": {
      get: { summary: "草稿列表", tags: ["报告草稿"], parameters: [doc], responses: { "200": ok({ type: "object", properties: { drafts: { type: "array", items: ref("Draft") } } }), "404": err("不存在"), ...common } },
      post: { summary: "起草自评报告（SSE 流式返回）；未配置大模型时用模板起草", tags: ["报告草稿"], parameters: [doc], requestBody: body(S.DraftBody), responses: { "200": sse, "404": err("不存在"), "422": err("申报表不能起草自评报告"), ...common } },
    },
    "/api/drafts/{id}": {
      get: { summary: "一份草稿及其核对结果", tags: ["报告草稿"], parameters: [draft], responses: { "200": ok(ref("Draft")), "404": err("不存在"), ...common } },
    },
    "/api/drafts/{id}/revise": {
      post: { summary: "按要求改写一部分（SSE），生成新草稿", tags: ["报告草稿"], parameters: [draft], requestBody: body(S.ReviseBody), responses: { "200": sse, "404": err("不存在"), "422": err("未指明要修改的部分"), ...common } },
    },
    "/api/drafts/{id}/accept": {
      post: { summary: "确认草稿：无错误级问题，或每个错误都写明理由", tags: ["确认"], parameters: [draft], requestBody: body(S.AcceptBody), responses: { "200": ok(ref("Draft")), "404": err("不存在"), "409": err("仍有未处理的错误级问题"), ...common } },
    },
    "/api/workspaces/{id}/jobs": {
      post: {
        summary: "排队一个工作区任务：批量核验、批量审核申报表或导出整个工作区（202，返回任务）",
        tags: ["任务"],
        parameters: [ws],
        requestBody: body(S.WorkspaceJobBody),
        responses: { "202": ok(ref("Job"), "已排队"), "404": err("工作区不存在"), "503": err("未启用任务队列"), ...common },
      },
      get: {
        summary: "工作区的任务（新的在前）",
        tags: ["任务"],
        parameters: [ws, { name: "state", in: "query", required: false, description: "只列出该状态的任务", schema: inline(S.JobsQuery.shape.state) }],
        responses: { "200": ok({ type: "object", properties: { jobs: { type: "array", items: ref("Job") } } }), "404": err("工作区不存在"), ...common },
      },
    },
    "/api/documents/{id}/jobs": {
      post: {
        summary: "排队起草一份自评表的自评报告（202，返回任务；草稿在任务成功时保存）",
        tags: ["任务"],
        parameters: [doc],
        requestBody: body(S.DocumentJobBody),
        responses: { "202": ok(ref("Job"), "已排队"), "404": err("文档不存在"), "409": err("要求用大模型但未配置"), "422": err("不是自评表"), "503": err("未启用任务队列"), ...common },
      },
    },
    "/api/jobs/{id}": {
      get: { summary: "任务：状态、进度、结果或失败原因", tags: ["任务"], parameters: [job], responses: { "200": ok(ref("Job")), "404": err("不存在"), ...common } },
      delete: { summary: "取消任务：排队中的不再执行，执行中的在下一次报告进度时停止；已结束的任务不变", tags: ["任务"], parameters: [job], responses: { "200": ok(ref("Job")), "404": err("不存在"), ...common } },
    },
    "/api/jobs/{id}/events": {
      get: {
        summary: "任务进度（服务器推送事件），直到任务结束",
        tags: ["任务"],
        parameters: [job],
        responses: { "200": { description: "text/event-stream：progress、end", content: { "text/event-stream": { schema: ref("JobEvent") } } }, "404": err("不存在"), ...common },
      },
    },
    "/api/jobs/{id}/output": {
      get: { summary: "下载导出任务生成的文件", tags: ["任务"], parameters: [job], responses: { "200": { description: ".docx / .xlsx / .json 文件" }, "404": err("任务不存在、未完成或没有文件"), ...common } },
    },
  };
}

let cached: Json | null = null;

export function openApiDocument(): Json {
  if (cached) return cached;
  const { schemas } = z.toJSONSchema(z.globalRegistry, { uri: (id) => `#/components/schemas/${id}`, unrepresentable: "any" }) as { schemas: Record<string, Json> };
  const components: Record<string, Json> = {};
  for (const [id, s] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = s;
    components[id] = rest;
  }
  cached = {
    openapi: "3.1.0",
    info: {
      title: "jixiao 绩效自评助手 API",
      version: "0.1.0",
      description: "上传自评表/申报表 → 核验与修改 → 起草自评报告 → 确认 → 导出。设置 JIXIAO_TOKEN 时，/api 需要 Authorization: Bearer <令牌>（下载链接可用 ?token=）。错误统一为 {code, message}。",
    },
    servers: [{ url: "/" }],
    components: {
      schemas: components,
      securitySchemes: { bearer: { type: "http", scheme: "bearer" }, query: { type: "apiKey", in: "query", name: "token" } },
    },
    security: [{ bearer: [] }, { query: [] }],
    paths: paths(),
  };
  return cached;
}
