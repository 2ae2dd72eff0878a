/** Where to write CPU profiles of the benchmarked processes (unset: no profiling). */
export const profileDir: string | undefined = process.env.BENCH_PROFILE_DIR;
