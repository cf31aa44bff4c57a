// One handler per job kind.
import type { JobKind, PayloadOf } from "../kinds.ts";
import { checkHandler } from "./check.ts";
import type { Handler } from "./context.ts";
import { draftHandler } from "./draft.ts";
import { exportHandler } from "./export.ts";
import { reviewHandler } from "./review.ts";

export const HANDLERS: { [K in JobKind]: Handler<PayloadOf<K>> } = {
  check: checkHandler,
  review: reviewHandler,
  draft: draftHandler,
  export: exportHandler,
};

export type { Handler, HandlerContext, HandlerResult, Progress } from "./context.ts";
