/**
 * The one ECharts wrapper: init once, `setOption` on change, resize with its box, dispose on unmount.
 * Every chart on every page is this component with an option from a pure function (options.ts).
 */
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import { useEffect, useRef } from 'preact/hooks';

type Lib = typeof import('./echarts.js');
let lib: Promise<Lib> | null = null;
const load = () => {
  lib ??= import('./echarts.js');
  return lib;
};

/**
 * Starts loading the chart library (once signed in), so a page's data requests, which take the
 * browser's few connections to the server, do not hold the first chart back.
 */
export function preloadCharts(): void {
  void load();
}

export interface ChartProps {
  option: EChartsCoreOption;
  height?: number | string;
  label: string;
  class?: string;
}

export function Chart({ option, height = 280, label, class: cls }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const inst = useRef<EChartsType | null>(null);
  const latest = useRef(option);
  latest.current = option;

  useEffect(() => {
    let gone = false;
    let ro: ResizeObserver | null = null;
    void load().then(({ echarts }) => {
      if (gone || !box.current) return;
      const c = echarts.init(box.current, null, { renderer: 'canvas' });
      inst.current = c;
      c.setOption(latest.current);
      ro = new ResizeObserver(() => c.resize());
      ro.observe(box.current);
    });
    return () => {
      gone = true;
      ro?.disconnect();
      inst.current?.dispose();
      inst.current = null;
    };
  }, []);

  useEffect(() => {
    inst.current?.setOption(option, { notMerge: true });
  }, [option]);

  return (
    <div
      ref={box}
      class={cls ?? 'chart'}
      style={{ height: typeof height === 'number' ? `${height}px` : height }}
      role="img"
      aria-label={label}
    />
  );
}
