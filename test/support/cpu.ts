/** CPU time this process has used, in ms (user and system): the work measured, whoever else has the cores. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
