// Generated from registry/ by registry/embed.mjs (run by `npm run build`), through `mpl-sdk types`. Do not edit.

/**
 * Any JSON value; strings up to 1 MiB, property names up to 256 characters.
 */
export type DataJsonDocumentV1Value =
  | {
      [k: string]: DataJsonDocumentV1Value;
    }
  | DataJsonDocumentV1Value[]
  | string
  | number
  | boolean
  | null;

/**
 * The payload type of every SType the compiler knows, by SType id: the STypes of the
 * SDK's embedded registry, generated from its registry/ folder. `Session.send`,
 * `Session.onMessage`, `Client.send` and `MplEnvelope.getPayload` check payloads
 * against it; an SType it does not list has the payload type `unknown`.
 *
 * Add your own registry's STypes by declaration merging: `npx mpl-sdk types ./registry
 * -o mpl-stypes.d.ts` writes the block for you.
 *
 * @example
 * declare module 'mpl-sdk' {
 *   interface StypePayloads {
 *     'com.acme.finance.Trade.v2': { symbol: string; qty: number };
 *   }
 * }
 * await session.send('com.acme.finance.Trade.v2', { symbol: 'ACME', qty: 3 }); // checked
 */
export interface StypePayloads {
  "ai.completion.Request.v1": AiCompletionRequestV1;
  "ai.completion.Response.v1": AiCompletionResponseV1;
  "data.json.Document.v1": DataJsonDocumentV1;
  "data.query.Query.v1": DataQueryQueryV1;
  "data.table.Table.v1": DataTableTableV1;
  "eval.feedback.Feedback.v1": EvalFeedbackFeedbackV1;
  "eval.rag.RAGQuery.v1": EvalRagRAGQueryV1;
  "eval.rag.RAGResponse.v1": EvalRagRAGResponseV1;
  "org.agent.Heartbeat.v1": OrgAgentHeartbeatV1;
  "org.agent.TaskPlan.v1": OrgAgentTaskPlanV1;
  "org.agent.TaskResult.v1": OrgAgentTaskResultV1;
  "org.agent.ToolInvocation.v1": OrgAgentToolInvocationV1;
  "org.agent.ToolResult.v1": OrgAgentToolResultV1;
  "org.calendar.Event.v1": OrgCalendarEventV1;
  "org.communication.Message.v1": OrgCommunicationMessageV1;
}
/**
 * A request for a language-model completion: a conversation and sampling settings.
 *
 * @example
 * const payload: PayloadOf<'ai.completion.Request.v1'> = {
 *   "model": "small-model",
 *   "messages": [
 *     {
 *       "role": "system",
 *       "content": "You schedule meetings."
 *     },
 *     {
 *       "role": "user",
 *       "content": "Book the review for Friday at 2pm."
 *     }
 *   ],
 *   "max_tokens": 256,
 *   "temperature": 0,
 *   "stop": [
 *     "\n\n"
 *   ],
 *   "tools": [
 *     {
 *       "name": "calendar.create_event",
 *       "input_schema": {
 *         "type": "object"
 *       }
 *     }
 *   ]
 * };
 */
export interface AiCompletionRequestV1 {
  /**
   * Model to use, e.g. "gpt-4o" or "claude-sonnet".
   */
  model?: string;
  /**
   * The conversation so far, oldest first.
   *
   * @minItems 1
   */
  messages: {
    /**
     * Who wrote the message.
     */
    role: "system" | "user" | "assistant" | "tool";
    /**
     * The message text.
     */
    content: string;
    /**
     * Name of the tool or participant.
     */
    name?: string;
    [k: string]: unknown;
  }[];
  /**
   * Upper bound on generated tokens.
   */
  max_tokens?: number;
  /**
   * Sampling temperature; 0 for the most deterministic output.
   */
  temperature?: number;
  /**
   * Nucleus-sampling probability mass.
   */
  top_p?: number;
  /**
   * Sequences that end generation.
   *
   * @maxItems 16
   */
  stop?: string[];
  /**
   * Seed for reproducible sampling, where the model supports it.
   */
  seed?: number;
  /**
   * Tools the model may call, by name with a JSON Schema for their arguments.
   */
  tools?: {
    /**
     * Tool name.
     */
    name: string;
    /**
     * What the tool does.
     */
    description?: string;
    /**
     * JSON Schema of the arguments.
     */
    input_schema?: {
      [k: string]: unknown;
    };
    [k: string]: unknown;
  }[];
  [k: string]: unknown;
}
/**
 * What a language model returned for a completion request.
 *
 * @example
 * const payload: PayloadOf<'ai.completion.Response.v1'> = {
 *   "id": "cmpl-1",
 *   "model": "small-model",
 *   "content": "The review is booked for Friday at 14:00.",
 *   "finish_reason": "stop",
 *   "usage": {
 *     "prompt_tokens": 42,
 *     "completion_tokens": 12,
 *     "total_tokens": 54
 *   },
 *   "latency_ms": 812
 * };
 */
export interface AiCompletionResponseV1 {
  /**
   * Identifier of the completion at the provider.
   */
  id?: string;
  /**
   * Model that produced the completion.
   */
  model?: string;
  /**
   * The generated text (empty when the model only called tools).
   */
  content: string;
  /**
   * Why generation ended.
   */
  finish_reason: "stop" | "length" | "tool_calls" | "content_filter" | "error";
  /**
   * Tool calls the model asked for, in order.
   */
  tool_calls?: OrgAgentToolInvocationV1[];
  /**
   * Token accounting for the request.
   */
  usage?: {
    /**
     * Tokens in the prompt.
     */
    prompt_tokens: number;
    /**
     * Tokens generated.
     */
    completion_tokens: number;
    /**
     * prompt_tokens + completion_tokens.
     */
    total_tokens?: number;
    [k: string]: unknown;
  };
  /**
   * Time from request to last token, in milliseconds.
   */
  latency_ms?: number;
  /**
   * When the completion was produced.
   */
  created_at?: string;
  [k: string]: unknown;
}
/**
 * A request to call a tool with arguments, as an MCP `tools/call` carries it.
 *
 * @example
 * const payload: PayloadOf<'org.agent.ToolInvocation.v1'> = {
 *   "call_id": "call-1",
 *   "tool_name": "calendar.create_event",
 *   "tool_version": "v1",
 *   "arguments": {
 *     "title": "Team Sync",
 *     "start": "2024-01-15T10:00:00Z"
 *   },
 *   "args_stype": "org.calendar.Event.v1",
 *   "constraints": {
 *     "timeout_ms": 5000,
 *     "idempotent": false
 *   }
 * };
 */
export interface OrgAgentToolInvocationV1 {
  /**
   * Identifier of this call; the ToolResult echoes it.
   */
  call_id?: string;
  /**
   * Name of the tool, e.g. "calendar.create_event".
   */
  tool_name: string;
  /**
   * Version of the tool, e.g. "v1".
   */
  tool_version?: string;
  /**
   * Arguments for the tool; checked against `args_stype` when given.
   */
  arguments: {
    [k: string]: unknown;
  };
  /**
   * SType of `arguments`, when the tool declares one.
   */
  args_stype?: string;
  /**
   * Where the call comes from.
   */
  context?: {
    /**
     * Session the call belongs to.
     */
    session_id?: string;
    /**
     * Identifier tying related calls together.
     */
    correlation_id?: string;
    /**
     * The user on whose behalf the call is made.
     */
    user_id?: string;
    [k: string]: unknown;
  };
  /**
   * Limits for executing the call.
   */
  constraints?: {
    /**
     * Give up after this many milliseconds.
     */
    timeout_ms?: number;
    /**
     * How often the callee may retry.
     */
    max_retries?: number;
    /**
     * True when repeating the call is harmless.
     */
    idempotent?: boolean;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
/**
 * A generic JSON object for payloads without a more specific SType: nested objects, arrays and scalars, with size limits on strings and property names.
 *
 * @example
 * const payload: PayloadOf<'data.json.Document.v1'> = {
 *   "name": "Zürich",
 *   "tags": [
 *     "東京",
 *     "emoji 😀"
 *   ],
 *   "nested": {
 *     "a": [
 *       1,
 *       2.5,
 *       null,
 *       true,
 *       {
 *         "b": "c"
 *       }
 *     ]
 *   }
 * };
 */
export interface DataJsonDocumentV1 {
  [k: string]: DataJsonDocumentV1Value;
}
/**
 * A query against a data source: a statement in a named language, with bound parameters and paging.
 *
 * @example
 * const payload: PayloadOf<'data.query.Query.v1'> = {
 *   "language": "sql",
 *   "statement": "SELECT id, title FROM events WHERE start >= :from ORDER BY start",
 *   "source": "calendar",
 *   "parameters": {
 *     "from": "2024-03-01T00:00:00Z"
 *   },
 *   "limit": 50,
 *   "read_only": true
 * };
 */
export interface DataQueryQueryV1 {
  /**
   * Language of `statement`; `natural` is plain-language text to be translated by the receiver.
   */
  language: "sql" | "graphql" | "cypher" | "sparql" | "jsonpath" | "natural";
  /**
   * The query text. Put values in `parameters`, never inline.
   */
  statement: string;
  /**
   * Which database, table or endpoint to query.
   */
  source?: string;
  /**
   * Bound parameters, by name.
   */
  parameters?: {
    [k: string]: string | number | boolean | null | unknown[];
  };
  /**
   * Maximum number of rows to return.
   */
  limit?: number;
  /**
   * Rows to skip, for paging.
   */
  offset?: number;
  /**
   * Abandon the query after this many milliseconds.
   */
  timeout_ms?: number;
  /**
   * True when the query must not change data (default true).
   */
  read_only?: boolean;
  [k: string]: unknown;
}
/**
 * Tabular data with typed columns, e.g. the result of a Query.
 *
 * @example
 * const payload: PayloadOf<'data.table.Table.v1'> = {
 *   "name": "users",
 *   "columns": [
 *     {
 *       "name": "id",
 *       "type": "integer"
 *     },
 *     {
 *       "name": "email",
 *       "type": "string"
 *     },
 *     {
 *       "name": "active",
 *       "type": "boolean",
 *       "nullable": true
 *     }
 *   ],
 *   "rows": [
 *     [
 *       1,
 *       "alice@example.com",
 *       true
 *     ],
 *     [
 *       2,
 *       "bob@example.com",
 *       null
 *     ]
 *   ],
 *   "total_rows": 2
 * };
 */
export interface DataTableTableV1 {
  /**
   * Name of the table or result set.
   */
  name?: string;
  /**
   * Column definitions, in row order.
   *
   * @minItems 1
   */
  columns: {
    /**
     * Column name.
     */
    name: string;
    /**
     * Type of the values in the column.
     */
    type: "string" | "integer" | "number" | "boolean" | "date" | "date-time" | "json";
    /**
     * True when values may be null.
     */
    nullable?: boolean;
    /**
     * What the column holds.
     */
    description?: string;
    [k: string]: unknown;
  }[];
  /**
   * Rows, each an array of values in column order.
   */
  rows: unknown[][];
  /**
   * Rows in the full result, when `rows` is one page of it.
   */
  total_rows?: number;
  [k: string]: unknown;
}
/**
 * A judgement of a message or answer by a person or an evaluator model.
 *
 * @example
 * const payload: PayloadOf<'eval.feedback.Feedback.v1'> = {
 *   "target_id": "env-42",
 *   "rating": 0.75,
 *   "labels": [
 *     "correct",
 *     "incomplete"
 *   ],
 *   "comment": "Right date, but the room is missing.",
 *   "evaluator": "alice@example.com",
 *   "created_at": "2024-03-01T15:00:00Z"
 * };
 */
export interface EvalFeedbackFeedbackV1 {
  /**
   * Identifier of the envelope or message being judged.
   */
  target_id: string;
  /**
   * Overall quality between 0 (unusable) and 1 (perfect).
   */
  rating: number;
  /**
   * Categorical verdicts.
   */
  labels?: ("correct" | "incorrect" | "incomplete" | "ungrounded" | "unsafe" | "off-topic" | "helpful")[];
  /**
   * Explanation of the rating.
   */
  comment?: string;
  /**
   * Who judged: a user id or an evaluator model name.
   */
  evaluator?: string;
  /**
   * When the judgement was made.
   */
  created_at?: string;
  [k: string]: unknown;
}
/**
 * A question for a retrieval-augmented generation pipeline, with retrieval settings.
 *
 * @example
 * const payload: PayloadOf<'eval.rag.RAGQuery.v1'> = {
 *   "query": "What did we decide about the Q2 roadmap?",
 *   "collection": "meeting-notes",
 *   "top_k": 5,
 *   "min_score": 0.3,
 *   "filters": {
 *     "year": 2024
 *   }
 * };
 */
export interface EvalRagRAGQueryV1 {
  /**
   * The question, in natural language.
   */
  query: string;
  /**
   * Which index or document collection to search.
   */
  collection?: string;
  /**
   * How many chunks to retrieve (default 5).
   */
  top_k?: number;
  /**
   * Drop chunks scoring below this relevance.
   */
  min_score?: number;
  /**
   * Metadata filters the retrieved documents must match, by field.
   */
  filters?: {
    [k: string]: unknown;
  };
  /**
   * Conversation the question belongs to, for follow-ups.
   */
  conversation_id?: string;
  [k: string]: unknown;
}
/**
 * An answer produced from retrieved sources, with the sources it rests on so that groundedness can be checked.
 *
 * @example
 * const payload: PayloadOf<'eval.rag.RAGResponse.v1'> = {
 *   "query": {
 *     "query": "When is the review?",
 *     "top_k": 3
 *   },
 *   "answer": "The architecture review is on 1 March at 14:00 UTC.",
 *   "sources": [
 *     {
 *       "document_id": "cal-2024",
 *       "chunk_id": "c12",
 *       "text": "Architecture Review, 2024-03-01 14:00Z, 60 min",
 *       "score": 0.92
 *     }
 *   ],
 *   "citations": [
 *     {
 *       "source_index": 0,
 *       "answer_span": [
 *         0,
 *         48
 *       ]
 *     }
 *   ],
 *   "confidence": 0.9
 * };
 */
export interface EvalRagRAGResponseV1 {
  query?: EvalRagRAGQueryV1;
  /**
   * The generated answer.
   */
  answer: string;
  /**
   * Retrieved chunks the answer is based on.
   */
  sources: {
    /**
     * Identifier of the source document.
     */
    document_id: string;
    /**
     * Identifier of the chunk within the document.
     */
    chunk_id?: string;
    /**
     * The retrieved text.
     */
    text: string;
    /**
     * Relevance score.
     */
    score?: number;
    /**
     * Where the document can be read.
     */
    url?: string;
    [k: string]: unknown;
  }[];
  /**
   * Which sources support which part of the answer.
   */
  citations?: {
    /**
     * Index into `sources`.
     */
    source_index: number;
    /**
     * [start, end) character offsets in `answer`. Two integers, written with items, minItems and maxItems rather than prefixItems: the reference proxy reads every schema as Draft 7, where prefixItems is unknown and items: false refuses every element.
     *
     * @minItems 2
     * @maxItems 2
     */
    answer_span?: number[];
    [k: string]: unknown;
  }[];
  /**
   * The generator's own confidence in the answer.
   */
  confidence?: number;
  [k: string]: unknown;
}
/**
 * A liveness signal between peers; answer a server heartbeat with your own.
 *
 * @example
 * const payload: PayloadOf<'org.agent.Heartbeat.v1'> = {
 *   "status": "busy",
 *   "agent_id": "planner-2",
 *   "timestamp": "2024-03-01T14:00:05Z",
 *   "sequence": 42,
 *   "load": 0.83,
 *   "uptime_s": 3600.5
 * };
 */
export interface OrgAgentHeartbeatV1 {
  /**
   * The sender's state.
   */
  status: "alive" | "busy" | "idle" | "degraded" | "shutting_down";
  /**
   * Who is sending the heartbeat.
   */
  agent_id?: string;
  /**
   * When the heartbeat was sent.
   */
  timestamp?: string;
  /**
   * Increasing counter, to spot lost heartbeats.
   */
  sequence?: number;
  /**
   * Current load between 0 (idle) and 1 (saturated).
   */
  load?: number;
  /**
   * Seconds since the sender started.
   */
  uptime_s?: number;
  [k: string]: unknown;
}
/**
 * A unit of work handed to an agent: what to achieve and, optionally, the tool calls planned to get there.
 *
 * @example
 * const payload: PayloadOf<'org.agent.TaskPlan.v1'> = {
 *   "id": "plan-001",
 *   "title": "Book the review",
 *   "objective": "Schedule the architecture review with Alice and Bob next week"
 * };
 */
export interface OrgAgentTaskPlanV1 {
  /**
   * Identifier of the plan; a TaskResult refers to it as `plan_id`.
   */
  id: string;
  /**
   * Short name of the task.
   */
  title: string;
  /**
   * What the task must achieve, stated so that the outcome can be checked.
   */
  objective: string;
  /**
   * Scheduling priority (default normal).
   */
  priority?: "low" | "normal" | "high" | "urgent";
  /**
   * Time by which the plan should be completed.
   */
  deadline?: string;
  /**
   * Rules to respect while executing, in plain language.
   *
   * @maxItems 100
   */
  constraints?: string[];
  /**
   * Ordered steps; each names the tool to call and its arguments.
   *
   * @maxItems 1000
   */
  steps?: {
    /**
     * Identifier of the step, unique within the plan.
     */
    id?: string;
    /**
     * What the step does, for people reading the plan.
     */
    description?: string;
    /**
     * Name of the tool to call, e.g. "calendar.create_event".
     */
    tool: string;
    /**
     * Arguments for the tool, as the tool expects them.
     */
    args?: {
      [k: string]: unknown;
    };
    /**
     * SType of `args`, when the tool declares one.
     */
    args_stype?: string;
    /**
     * Ids of steps that must finish first.
     */
    depends_on?: string[];
  }[];
  /**
   * Inputs the agent needs (documents, previous results), keyed by name.
   */
  context?: {
    [k: string]: unknown;
  };
  /**
   * Free-form key/value annotations for the sender's own use; receivers must not rely on them.
   */
  metadata?: {
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
/**
 * The outcome of a TaskPlan, sent back by the agent that executed it.
 *
 * @example
 * const payload: PayloadOf<'org.agent.TaskResult.v1'> = {
 *   "plan_id": "plan-7f3a",
 *   "status": "failed",
 *   "error": {
 *     "code": "WAREHOUSE_TIMEOUT",
 *     "message": "The warehouse query timed out after 30 s",
 *     "retryable": true
 *   },
 *   "duration_ms": 30412,
 *   "step_results": [
 *     {
 *       "step_id": "s1",
 *       "status": "failed"
 *     },
 *     {
 *       "step_id": "s2",
 *       "status": "skipped"
 *     }
 *   ]
 * };
 */
export interface OrgAgentTaskResultV1 {
  /**
   * The `id` of the TaskPlan this result answers.
   */
  plan_id: string;
  /**
   * How the task ended (or `in_progress` for an interim report).
   */
  status: "completed" | "failed" | "partial" | "cancelled" | "in_progress";
  /**
   * What the task produced: any JSON value, typically an object such as `{"summary": "…"}`.
   */
  output?: unknown;
  /**
   * Why the task failed; present when `status` is `failed` or `partial`.
   */
  error?: {
    /**
     * Machine-readable error code.
     */
    code?: string;
    /**
     * What went wrong, for a person.
     */
    message: string;
    /**
     * True when running the plan again may succeed.
     */
    retryable?: boolean;
    [k: string]: unknown;
  };
  /**
   * When execution started.
   */
  started_at?: string;
  /**
   * When execution ended.
   */
  completed_at?: string;
  /**
   * Wall-clock execution time in milliseconds.
   */
  duration_ms?: number;
  /**
   * Per-step outcomes, in plan order.
   */
  step_results?: {
    /**
     * The `id` of the step.
     */
    step_id: string;
    /**
     * How the step ended.
     */
    status: "completed" | "failed" | "skipped";
    /**
     * What the step produced.
     */
    output?: unknown;
    [k: string]: unknown;
  }[];
  /**
   * Free-form key/value annotations for the sender's own use; receivers must not rely on them.
   */
  metadata?: {
    [k: string]: unknown;
  };
  [k: string]: unknown;
}
/**
 * The answer to a ToolInvocation: the tool's output, or why it failed.
 *
 * @example
 * const payload: PayloadOf<'org.agent.ToolResult.v1'> = {
 *   "call_id": "call-2",
 *   "tool_name": "search",
 *   "status": "error",
 *   "error": {
 *     "code": "RATE_LIMITED",
 *     "message": "Too many requests; retry in 10 s"
 *   }
 * };
 */
export interface OrgAgentToolResultV1 {
  /**
   * The `call_id` of the invocation this answers.
   */
  call_id?: string;
  /**
   * Name of the tool that ran.
   */
  tool_name: string;
  /**
   * Whether the tool succeeded.
   */
  status: "success" | "error";
  /**
   * The tool's output: any JSON value. Required on success.
   */
  result?: unknown;
  /**
   * Output as MCP content blocks, when the tool produced text or media.
   */
  content?: {
    /**
     * Kind of block.
     */
    type: "text" | "image" | "audio" | "resource";
    /**
     * Text of a `text` block.
     */
    text?: string;
    /**
     * Base64 data of an `image` or `audio` block.
     */
    data?: string;
    /**
     * Media type of `data`.
     */
    mime_type?: string;
    [k: string]: unknown;
  }[];
  /**
   * Why the tool failed. Required on error.
   */
  error?: {
    /**
     * Machine-readable error code.
     */
    code?: string;
    /**
     * What went wrong, for a person.
     */
    message: string;
    [k: string]: unknown;
  };
  /**
   * How long the tool ran, in milliseconds.
   */
  duration_ms?: number;
  [k: string]: unknown;
}
/**
 * A meeting or appointment. Only `title` and `start` are required; give the length as `end` or `duration_minutes` (or both, which must agree).
 *
 * @example
 * const payload: PayloadOf<'org.calendar.Event.v1'> = {
 *   "title": "Company offsite",
 *   "start": "2024-06-10T00:00:00Z",
 *   "all_day": true,
 *   "location": "Lucerne"
 * };
 */
export interface OrgCalendarEventV1 {
  /**
   * Identifier of the event in the sender's calendar system.
   */
  id?: string;
  /**
   * Short human-readable title, e.g. "Architecture Review".
   */
  title: string;
  /**
   * Longer free-text description or agenda.
   */
  description?: string;
  /**
   * Start time, RFC 3339 with a timezone offset or Z, e.g. "2024-03-01T14:00:00Z".
   */
  start: string;
  /**
   * End time, RFC 3339 with a timezone offset or Z. Must not be before `start`.
   */
  end?: string;
  /**
   * Length of the event in whole minutes (at most one leap year).
   */
  duration_minutes?: number;
  /**
   * True for an all-day event; `start` then marks the day in the given timezone.
   */
  all_day?: boolean;
  /**
   * IANA timezone name the event was scheduled in, e.g. "Europe/Zurich". Times stay absolute; this is for display.
   */
  timezone?: string;
  /**
   * Where the event takes place: a room, an address or a video-call URL.
   */
  location?: string;
  /**
   * An email address, or an object naming the person and their response.
   */
  organizer?:
    | string
    | {
        /**
         * An email address, e.g. "alice@example.com".
         */
        email: string;
        /**
         * Display name.
         */
        name?: string;
        /**
         * The attendee's response to the invitation.
         */
        status?: "needs-action" | "accepted" | "declined" | "tentative";
        /**
         * True when attendance is optional.
         */
        optional?: boolean;
      };
  /**
   * People invited, each an email address or an object with `email`, optional `name` and `status`.
   *
   * @maxItems 1000
   *
   * Items: An email address, or an object naming the person and their response.
   */
  attendees?: (
    | string
    | {
        /**
         * An email address, e.g. "alice@example.com".
         */
        email: string;
        /**
         * Display name.
         */
        name?: string;
        /**
         * The attendee's response to the invitation.
         */
        status?: "needs-action" | "accepted" | "declined" | "tentative";
        /**
         * True when attendance is optional.
         */
        optional?: boolean;
      }
  )[];
  /**
   * Repetition rule, a subset of RFC 5545 RRULE.
   */
  recurrence?: {
    /**
     * How often the event repeats.
     */
    frequency: "daily" | "weekly" | "monthly" | "yearly";
    /**
     * Repeat every N periods (default 1).
     */
    interval?: number;
    /**
     * Stop after this many occurrences.
     */
    count?: number;
    /**
     * Stop repeating after this time.
     */
    until?: string;
  };
  /**
   * Notifications before the event starts.
   *
   * @maxItems 20
   */
  reminders?: {
    /**
     * How long before `start` to notify.
     */
    minutes_before: number;
    /**
     * How to notify (default popup).
     */
    method?: "popup" | "email" | "sms";
  }[];
  /**
   * Whether the event is going ahead.
   */
  status?: "confirmed" | "tentative" | "cancelled";
  /**
   * Who may see the event details.
   */
  visibility?: "public" | "private" | "confidential";
  /**
   * Free-form key/value annotations for the sender's own use; receivers must not rely on them.
   */
  metadata?: {
    [k: string]: unknown;
  };
}
/**
 * A message between people or agents in a conversation or channel.
 *
 * @example
 * const payload: PayloadOf<'org.communication.Message.v1'> = {
 *   "id": "m-1",
 *   "thread_id": "t-9",
 *   "sender": "alice@example.com",
 *   "recipients": [
 *     "planner-agent"
 *   ],
 *   "role": "user",
 *   "content": "Can you move the review to Friday?",
 *   "sent_at": "2024-03-01T13:55:00Z",
 *   "attachments": [
 *     {
 *       "name": "agenda.pdf",
 *       "url": "https://files.example.com/agenda.pdf",
 *       "mime_type": "application/pdf",
 *       "size_bytes": 48213
 *     }
 *   ]
 * };
 */
export interface OrgCommunicationMessageV1 {
  /**
   * Identifier of the message.
   */
  id?: string;
  /**
   * Conversation or thread the message belongs to.
   */
  thread_id?: string;
  /**
   * Identifier of the message this one answers.
   */
  reply_to?: string;
  /**
   * Who sent the message: an agent id or an email address.
   */
  sender: string;
  /**
   * Who the message is for; empty or absent for a broadcast.
   */
  recipients?: string[];
  /**
   * Role of the sender in an AI conversation.
   */
  role?: "user" | "assistant" | "system" | "tool";
  /**
   * The message text.
   */
  content: string;
  /**
   * How to render `content` (default text/plain).
   */
  content_type?: "text/plain" | "text/markdown" | "text/html";
  /**
   * When the message was sent.
   */
  sent_at?: string;
  /**
   * Files attached to the message, by reference.
   */
  attachments?: {
    /**
     * File name.
     */
    name: string;
    /**
     * Where to fetch the file.
     */
    url: string;
    /**
     * Media type.
     */
    mime_type?: string;
    /**
     * Size in bytes.
     */
    size_bytes?: number;
    [k: string]: unknown;
  }[];
  [k: string]: unknown;
}
