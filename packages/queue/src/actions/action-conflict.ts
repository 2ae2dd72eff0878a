/**
 * A single-job action the job's state does not allow (cancel of a final job, retry of a running
 * one, a retry whose previous run still stops). The API answers 409; bulk and group actions skip
 * the job, as it no longer needs the action.
 */
export class JobActionConflict extends Error {
  override readonly name = "JobActionConflict";
}
