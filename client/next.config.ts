import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

// No rewrites: the API is reached through route handlers (app/api, app/media, app/health/ready,
// app/metrics) that read API_URL when they run, so one build runs against any API, and the
// signed-in person's access token is attached on the server.
const nextConfig: NextConfig = {
  reactStrictMode: true,
  // The container image runs the standalone server (client/Dockerfile sets NEXT_OUTPUT); `next start`
  // serves the usual build.
  ...(process.env.NEXT_OUTPUT === 'standalone'
    ? {
        output: 'standalone' as const,
        outputFileTracingRoot: join(dirname(fileURLToPath(import.meta.url)), '..'),
      }
    : {}),
  poweredByHeader: false,
  // TypeScript 7 (the native compiler) has no JavaScript compiler API yet: the build type-checks
  // through its CLI instead.
  experimental: { useTypeScriptCli: true },
};

export default nextConfig;
