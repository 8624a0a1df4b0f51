// Workload and Contenders (the seeded inputs and the W6 registry shape) live in
// BenchmarkWorkloads so the memory probe and the HTTP servers share them; visible to every file here.
@_exported import BenchmarkWorkloads
