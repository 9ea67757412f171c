/**
 * How much work one render of one template part may do. Rendering runs on the event loop that
 * also answers HTTP and drives the workers, so a template (or a contact's data) must not be able
 * to make it spin for seconds or build a string of hundreds of megabytes.
 */
export interface RenderLimits {
  /** `#each` iterations, over all loops of the part. */
  maxIterations: number;
  /** Helper calls, block evaluations, outputs and iterations together: bounds work no output shows. */
  maxSteps: number;
  /** Characters the part may produce (after HTML escaping). */
  maxOutputChars: number;
}

export const DEFAULT_RENDER_LIMITS: RenderLimits = { maxIterations: 10_000, maxSteps: 100_000, maxOutputChars: 250_000 };

export type BudgetKind = 'iterations' | 'steps' | 'output' | 'css';

/** Thrown while rendering when a template goes over a limit; the renderer turns it into a 422 naming the part. */
export class TemplateBudgetError extends Error {
  constructor(
    readonly budget: BudgetKind,
    readonly limit: number,
  ) {
    super(describeBudget(budget, limit));
    this.name = 'TemplateBudgetError';
  }
}

function describeBudget(budget: BudgetKind, limit: number): string {
  switch (budget) {
    case 'iterations':
      return `the template loops more than ${limit} times`;
    case 'steps':
      return `the template does more than ${limit} render steps`;
    case 'output':
      return `the rendered text is longer than ${limit} characters`;
    case 'css':
      return `inlining the CSS would take more than ${limit} rule/element matches`;
  }
}

/** The counters of one render; helpers reach it through the Handlebars data frame. */
export class RenderBudget {
  iterations = 0;
  steps = 0;
  /** Characters produced so far that are known to the budget (values written and finished loop passes). */
  output = 0;

  constructor(readonly limits: RenderLimits) {}

  step(count = 1): void {
    this.steps += count;
    if (this.steps > this.limits.maxSteps) throw new TemplateBudgetError('steps', this.limits.maxSteps);
  }

  iterate(): void {
    if (++this.iterations > this.limits.maxIterations) throw new TemplateBudgetError('iterations', this.limits.maxIterations);
    this.step();
  }

  /** Sets the output count (a finished loop pass knows its exact length) and checks it. */
  setOutput(chars: number): void {
    this.output = chars;
    if (chars > this.limits.maxOutputChars) throw new TemplateBudgetError('output', this.limits.maxOutputChars);
  }

  addOutput(chars: number): void {
    this.setOutput(this.output + chars);
  }
}

/** Characters a helper works through that no output shows (`{{#if (upper x)}}`) cost a step per KB. */
export const STEP_CHARS = 1024;

/** Charges the render that called a helper for working through `chars` characters. */
export function chargeChars(data: { budget?: RenderBudget } | undefined, chars: number): void {
  if (chars > STEP_CHARS) data?.budget?.step(Math.floor(chars / STEP_CHARS));
}
