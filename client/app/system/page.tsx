import type { Metadata } from 'next';
import { SystemStatus } from './system-status';

export const metadata: Metadata = { title: 'System' };

export default function SystemPage() {
  return (
    <>
      <h1>System</h1>
      <SystemStatus />
    </>
  );
}
