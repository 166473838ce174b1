import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

// The API is reached through same-origin rewrites, so the browser never needs CORS. The rewrites are
// fixed when the client is built (`next build` writes them into its routes manifest): set API_URL
// for the build, as `npm start` does.
const apiUrl = (process.env.API_URL ?? 'http://localhost:8080').replace(/\/+$/, '');

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
  async rewrites() {
    return [
      { source: '/api/:path*', destination: `${apiUrl}/api/:path*` },
      { source: '/media/:path*', destination: `${apiUrl}/media/:path*` },
      { source: '/health/ready', destination: `${apiUrl}/health/ready` },
      { source: '/metrics', destination: `${apiUrl}/metrics` },
    ];
  },
};

export default nextConfig;
