import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";

/** A component fetched only when shown: members' and admins' tools stay out of the first load. */
export function Lazy<P extends object>({
  load,
  props,
}: {
  load: () => Promise<ComponentType<P>>;
  props: P;
}) {
  const [Component, setComponent] = useState<ComponentType<P> | null>(null);
  useEffect(() => {
    let current = true;
    void load().then((loaded) => {
      if (current) setComponent(() => loaded);
    });
    return () => {
      current = false;
    };
  }, [load]);
  return Component ? <Component {...props} /> : null;
}
