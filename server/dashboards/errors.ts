/**
 * The dashboards' errors; the HTTP routes map them to the API's error
 * catalogue (404, 409). Each names the dashboard.
 */

export class DashboardError extends Error {
  override name = 'DashboardError';
}

/** No dashboard of that name. */
export class UnknownDashboardError extends DashboardError {
  override name = 'UnknownDashboardError';
  constructor(readonly dashboard: string) {
    super(`no dashboard named '${dashboard}'`);
  }
}

/**
 * The save or delete named a version that is not the stored one (someone
 * else saved in between), or created a dashboard that exists, or one past
 * the count limit. Nothing was changed.
 */
export class DashboardConflictError extends DashboardError {
  override name = 'DashboardConflictError';
  constructor(
    message: string,
    /** The version stored now; undefined when the conflict is not about versions. */
    readonly current?: number,
  ) {
    super(message);
  }
}
