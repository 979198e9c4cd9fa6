// Seconds left until a deadline, counted down on screen each second from the service's figure
// (its clock is authoritative; ours only measures the time since it answered).
import { useEffect, useState } from 'react';

export function useCountdown(secondsLeft: number | null): number | null {
  const [since, setSince] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setSince(Date.now());
    setNow(Date.now());
    if (secondsLeft === null) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [secondsLeft]);
  if (secondsLeft === null) return null;
  return Math.max(0, secondsLeft - Math.floor((now - since) / 1000));
}
