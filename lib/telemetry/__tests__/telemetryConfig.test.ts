import { operationLabeller } from '../operationLabel';
import { traceExporterFromEnv } from '../tracing';

describe('traceExporterFromEnv', () => {
  it('is off unless the standard variables name an exporter or an OTLP endpoint', () => {
    expect(traceExporterFromEnv({})).toBe('none');
    expect(traceExporterFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBe('none');
    expect(traceExporterFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe('otlp');
    expect(traceExporterFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe('otlp');
    expect(traceExporterFromEnv({ OTEL_TRACES_EXPORTER: 'console' })).toBe('console');
    expect(traceExporterFromEnv({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe('none');
    expect(traceExporterFromEnv({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' })).toBe('none');
    expect(() => traceExporterFromEnv({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/OTEL_TRACES_EXPORTER/);
  });
});

describe('operationLabeller', () => {
  it('names only known operations when given them', () => {
    const label = operationLabeller({ known: new Set(['DistrictDashboard']), cap: 0 });
    expect([label('DistrictDashboard'), label('Dupont0612345678'), label(undefined), label('')]).toEqual([
      'DistrictDashboard',
      'other',
      'anonymous',
      'anonymous',
    ]);
  });

  it('labels a subgraph operation by the client operation the gateway named it after, up to a bound', () => {
    const label = operationLabeller({ cap: 2 });
    expect(label('DistrictDashboard__housing__0')).toBe('DistrictDashboard');
    expect(label('DistrictDashboard__housing__3')).toBe('DistrictDashboard');
    expect(label('TfpbReport__actions__1')).toBe('TfpbReport');
    expect(label('OneTooMany__actions__0')).toBe('other');
    expect(label('TfpbReport')).toBe('TfpbReport');
  });
});
