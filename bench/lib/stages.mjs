// Turns the progress callbacks of one worker job into per-stage durations. Pure.

/**
 * Splits the time between a job's start and end into the stages its progress marks name.
 * A stage runs from its first mark until the first mark of a different stage (or the end);
 * a stage met again later (resize for the thumbnail, then again for the preview) adds up.
 * Time before the first mark is `dispatch`: the hand-off to the worker and its set-up.
 *
 * @param {readonly { stage: string, t: number }[]} marks in arrival order
 * @param {number} start when the call was made (same clock as the marks)
 * @param {number} end when the result arrived
 * @returns {Record<string, number>} milliseconds per stage
 */
export function stageDurations(marks, start, end) {
  const durations = {}
  const add = (stage, ms) => {
    durations[stage] = (durations[stage] ?? 0) + Math.max(0, ms)
  }
  if (marks.length === 0) {
    add('dispatch', end - start)
    return durations
  }
  add('dispatch', marks[0].t - start)
  let current = marks[0]
  for (const mark of marks.slice(1)) {
    if (mark.stage === current.stage) continue
    add(current.stage, mark.t - current.t)
    current = mark
  }
  add(current.stage, end - current.t)
  return durations
}

/**
 * Collects per-stage samples over repeated runs: { decode: [12.1, 11.8], … }.
 *
 * @param {readonly Record<string, number>[]} runs
 * @returns {Record<string, number[]>}
 */
export function collectStages(runs) {
  const samples = {}
  for (const run of runs) {
    for (const [stage, ms] of Object.entries(run)) (samples[stage] ??= []).push(ms)
  }
  return samples
}
