-- 0004_devices: calibrations per device (daemon/devices).
--
-- A calibration belongs to the physical device, so it is keyed by the
-- device's serial number and class, not by the id the daemon gives it
-- (ids change when a device moves to another port). rekamd applies the
-- stored calibration each time a device with that serial is opened.
-- data is the calibration as a JSON object (gain-r, background-mean,
-- x-min..., see docs/devices.md); replacing it keeps one row per device.
CREATE TABLE device_calibrations (
  serial        TEXT NOT NULL CHECK (length(serial) BETWEEN 1 AND 128),
  device_class  TEXT NOT NULL CHECK (device_class IN ('finger', 'slap', 'camera', 'iris',
                                                      'signature', 'smartcard', 'scanner', 'ups')),
  driver        TEXT NOT NULL,
  data          TEXT NOT NULL CHECK (json_valid(data) AND json_type(data) = 'object'),
  calibrated_by TEXT NOT NULL,                     -- account name of the technician
  calibrated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (serial, device_class)
);
