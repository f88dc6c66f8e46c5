// Nothing the tests start reports to Apollo.
process.env.APOLLO_TELEMETRY_DISABLED = '1';
