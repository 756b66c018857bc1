"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 23:38:53.061013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import monitor.models.base


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('apscheduler_jobs',
    sa.Column('id', sa.Unicode(length=191), nullable=False),
    sa.Column('next_run_time', sa.Float(precision=25), nullable=True),
    sa.Column('job_state', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_apscheduler_jobs'))
    )
    with op.batch_alter_table('apscheduler_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_apscheduler_jobs_next_run_time'), ['next_run_time'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('target', sa.String(length=255), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_target'), ['target'], unique=False)

    op.create_table('calendar_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('scope', sa.String(length=64), nullable=False),
    sa.Column('note', sa.String(length=255), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_days')),
    sa.UniqueConstraint('day', 'scope', name=op.f('uq_calendar_days_day_scope'))
    )
    with op.batch_alter_table('calendar_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_days_scope'), ['scope'], unique=False)

    op.create_table('fields',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('is_land', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fields')),
    sa.UniqueConstraint('code', name=op.f('uq_fields_code'))
    )
    op.create_table('job_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.String(length=64), nullable=False),
    sa.Column('started_at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs'))
    )
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_runs_job_id_started_at'), ['job_id', 'started_at'], unique=False)

    op.create_table('notification_channels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('config', sa.JSON(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('consecutive_failures', sa.Integer(), nullable=False),
    sa.Column('disabled_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_channels')),
    sa.UniqueConstraint('name', name=op.f('uq_notification_channels_name'))
    )
    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('expected_interval_minutes', sa.Integer(), nullable=False),
    sa.Column('cursor', sa.String(length=255), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('last_success_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_attempt_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('name', name=op.f('uq_sources_name'))
    )
    op.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('successor_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['units.id'], name=op.f('fk_units_parent_id_units')),
    sa.ForeignKeyConstraint(['successor_id'], ['units.id'], name=op.f('fk_units_successor_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units')),
    sa.UniqueConstraint('code', name=op.f('uq_units_code'))
    )
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_units_parent_id'), ['parent_id'], unique=False)

    op.create_table('import_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('location', sa.String(length=1000), nullable=False),
    sa.Column('file_format', sa.String(length=16), nullable=False),
    sa.Column('started_at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('inserted', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('quarantined', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_import_batches_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batches'))
    )
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batches_source_id'), ['source_id'], unique=False)

    op.create_table('officers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('counter', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_officers_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_officers')),
    sa.UniqueConstraint('code', name=op.f('uq_officers_code'))
    )
    with op.batch_alter_table('officers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_officers_unit_id'), ['unit_id'], unique=False)

    op.create_table('procedures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('field_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('legal_amount', sa.Double(), nullable=False),
    sa.Column('legal_unit', sa.String(length=16), nullable=False),
    sa.Column('has_fee', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['field_id'], ['fields.id'], name=op.f('fk_procedures_field_id_fields')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procedures')),
    sa.UniqueConstraint('code', name=op.f('uq_procedures_code'))
    )
    with op.batch_alter_table('procedures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procedures_field_id'), ['field_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=255), nullable=False),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_users_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_unit_id'), ['unit_id'], unique=False)

    op.create_table('alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=64), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('subject_kind', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.String(length=128), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('first_seen_at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('opened_at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.String(length=64), nullable=True),
    sa.Column('resolution_held', sa.Boolean(), nullable=False),
    sa.Column('acknowledged_by', sa.Integer(), nullable=True),
    sa.Column('ack_actor', sa.String(length=64), nullable=True),
    sa.Column('acknowledged_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ack_note', sa.Text(), nullable=True),
    sa.Column('silenced_until', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('silenced_by', sa.String(length=64), nullable=True),
    sa.Column('silence_reason', sa.Text(), nullable=True),
    sa.Column('escalation_level', sa.Integer(), nullable=False),
    sa.Column('next_escalation_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reopen_count', sa.Integer(), nullable=False),
    sa.Column('next_notify_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_notified_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('notify_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['acknowledged_by'], ['users.id'], name=op.f('fk_alerts_acknowledged_by_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_alerts_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts')),
    sa.UniqueConstraint('key', name=op.f('uq_alerts_key'))
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_state_next_notify_at'), ['state', 'next_notify_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_unit_id_state'), ['unit_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_state_next_escalation_at'), ['state', 'next_escalation_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_rule_state'), ['rule', 'state'], unique=False)

    op.create_table('dossiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('procedure_id', sa.Integer(), nullable=True),
    sa.Column('procedure_code', sa.String(length=64), nullable=False),
    sa.Column('procedure_name', sa.String(length=500), nullable=False),
    sa.Column('field_id', sa.Integer(), nullable=True),
    sa.Column('receiving_unit_id', sa.Integer(), nullable=True),
    sa.Column('resolving_unit_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.Integer(), nullable=False),
    sa.Column('applicant_name', sa.String(length=255), nullable=True),
    sa.Column('applicant_phone', sa.String(length=32), nullable=True),
    sa.Column('applicant_email', sa.String(length=255), nullable=True),
    sa.Column('applicant_id_number', sa.String(length=32), nullable=True),
    sa.Column('applicant_kind', sa.Integer(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('submitted_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('received_at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('legal_amount', sa.Double(), nullable=True),
    sa.Column('legal_unit', sa.String(length=16), nullable=True),
    sa.Column('legal_due_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('returned_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('receiving_officer_code', sa.String(length=64), nullable=True),
    sa.Column('source_version', sa.String(length=64), nullable=False),
    sa.Column('created_at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_status', sa.String(length=16), nullable=True),
    sa.Column('effective_due_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('breaches', sa.String(length=255), nullable=False),
    sa.Column('responsible_units', sa.JSON(), nullable=False),
    sa.Column('evaluated_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('next_change_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['field_id'], ['fields.id'], name=op.f('fk_dossiers_field_id_fields')),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedures.id'], name=op.f('fk_dossiers_procedure_id_procedures')),
    sa.ForeignKeyConstraint(['receiving_unit_id'], ['units.id'], name=op.f('fk_dossiers_receiving_unit_id_units')),
    sa.ForeignKeyConstraint(['resolving_unit_id'], ['units.id'], name=op.f('fk_dossiers_resolving_unit_id_units')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_dossiers_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossiers')),
    sa.UniqueConstraint('source_id', 'code', name=op.f('uq_dossiers_source_id_code'))
    )
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.create_index('ix_dossiers_due_status', ['due_status'], unique=False)
        batch_op.create_index('ix_dossiers_next_change_at', ['next_change_at'], unique=False)
        batch_op.create_index('ix_dossiers_open_due', ['status', 'due_at'], unique=False)
        batch_op.create_index('ix_dossiers_received_at', ['received_at'], unique=False)
        batch_op.create_index('ix_dossiers_unit_field', ['resolving_unit_id', 'field_id'], unique=False)
        batch_op.create_index('ix_dossiers_code', ['code'], unique=False)

    op.create_table('kiosk_devices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('token_hash', sa.String(length=128), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('counter', sa.String(length=64), nullable=True),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_seen_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_kiosk_devices_officer_id_officers')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_kiosk_devices_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_devices')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_kiosk_devices_token_hash'))
    )
    with op.batch_alter_table('kiosk_devices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosk_devices_unit_id'), ['unit_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('read_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['channel_id'], ['notification_channels.id'], name=op.f('fk_notifications_channel_id_notification_channels')),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_notifications_recipient_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_notifications_idempotency_key'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_state_next_attempt_at'), ['state', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_recipient_id_created_at'), ['recipient_id', 'created_at'], unique=False)

    op.create_table('quarantine',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=64), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('created_at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_quarantine_batch_id_import_batches')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quarantine'))
    )
    with op.batch_alter_table('quarantine', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quarantine_batch_id'), ['batch_id'], unique=False)

    op.create_table('apologies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('issued_at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('new_due_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_apologies_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_apologies')),
    sa.UniqueConstraint('dossier_id', 'seq', name=op.f('uq_apologies_dossier_id_seq'))
    )
    op.create_table('dossier_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], name=op.f('fk_dossier_events_batch_id_import_batches')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_events_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_events'))
    )
    with op.batch_alter_table('dossier_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dossier_events_dossier_id_at'), ['dossier_id', 'at'], unique=False)

    op.create_table('dossier_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('unit_name', sa.String(length=255), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('officer', sa.String(length=255), nullable=True),
    sa.Column('title', sa.String(length=255), nullable=True),
    sa.Column('content', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=64), nullable=True),
    sa.Column('started_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deadline_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_dossier_steps_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_dossier_steps_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_steps')),
    sa.UniqueConstraint('dossier_id', 'seq', name=op.f('uq_dossier_steps_dossier_id_seq'))
    )
    op.create_table('ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('counter', sa.String(length=64), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('external_ref', sa.String(length=128), nullable=True),
    sa.Column('crit_a', sa.Integer(), nullable=True),
    sa.Column('crit_b', sa.Integer(), nullable=True),
    sa.Column('crit_c', sa.Integer(), nullable=True),
    sa.Column('crit_d', sa.Integer(), nullable=True),
    sa.Column('crit_dd', sa.Integer(), nullable=True),
    sa.Column('crit_e', sa.Integer(), nullable=True),
    sa.Column('crit_g', sa.Integer(), nullable=True),
    sa.Column('crit_h', sa.Integer(), nullable=True),
    sa.Column('crit_i', sa.Integer(), nullable=True),
    sa.Column('overall', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('created_at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['device_id'], ['kiosk_devices.id'], name=op.f('fk_ratings_device_id_kiosk_devices')),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_ratings_dossier_id_dossiers')),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_ratings_officer_id_officers')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_ratings_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings')),
    sa.UniqueConstraint('channel', 'external_ref', name=op.f('uq_ratings_channel_external_ref')),
    sa.UniqueConstraint('dossier_id', name=op.f('uq_ratings_dossier_id'))
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ratings_officer_id_created_at'), ['officer_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_ratings_unit_id_created_at'), ['unit_id', 'created_at'], unique=False)

    op.create_table('supplements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dossier_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('requested_at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('completed_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('previous_due_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('new_due_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_supplements_dossier_id_dossiers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplements')),
    sa.UniqueConstraint('dossier_id', 'seq', name=op.f('uq_supplements_dossier_id_seq'))
    )
    op.create_table('feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('external_ref', sa.String(length=128), nullable=True),
    sa.Column('rating_id', sa.Integer(), nullable=True),
    sa.Column('dossier_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('received_at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sentiment', sa.String(length=16), nullable=True),
    sa.Column('sentiment_confidence', sa.Double(), nullable=True),
    sa.Column('topic', sa.String(length=32), nullable=True),
    sa.Column('topic_confidence', sa.Double(), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=True),
    sa.Column('urgent_confidence', sa.Double(), nullable=True),
    sa.Column('model_version', sa.String(length=64), nullable=True),
    sa.Column('classified_at', monitor.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('human_sentiment', sa.String(length=16), nullable=True),
    sa.Column('human_topic', sa.String(length=32), nullable=True),
    sa.Column('human_urgent', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['dossier_id'], ['dossiers.id'], name=op.f('fk_feedback_dossier_id_dossiers')),
    sa.ForeignKeyConstraint(['rating_id'], ['ratings.id'], name=op.f('fk_feedback_rating_id_ratings')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_feedback_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback')),
    sa.UniqueConstraint('source', 'external_ref', name=op.f('uq_feedback_source_external_ref'))
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_classified_at'), ['classified_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_unit_id_received_at'), ['unit_id', 'received_at'], unique=False)

    op.create_table('label_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feedback_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=16), nullable=False),
    sa.Column('old_value', sa.String(length=32), nullable=True),
    sa.Column('new_value', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', monitor.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['feedback_id'], ['feedback.id'], name=op.f('fk_label_corrections_feedback_id_feedback')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_label_corrections_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_label_corrections'))
    )
    with op.batch_alter_table('label_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_label_corrections_feedback_id'), ['feedback_id'], unique=False)

    # ### end Alembic commands ###


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    with op.batch_alter_table('label_corrections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_label_corrections_feedback_id'))

    op.drop_table('label_corrections')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_unit_id_received_at'))
        batch_op.drop_index(batch_op.f('ix_feedback_classified_at'))

    op.drop_table('feedback')
    op.drop_table('supplements')
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ratings_unit_id_created_at'))
        batch_op.drop_index(batch_op.f('ix_ratings_officer_id_created_at'))

    op.drop_table('ratings')
    op.drop_table('dossier_steps')
    with op.batch_alter_table('dossier_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dossier_events_dossier_id_at'))

    op.drop_table('dossier_events')
    op.drop_table('apologies')
    with op.batch_alter_table('quarantine', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quarantine_batch_id'))

    op.drop_table('quarantine')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_recipient_id_created_at'))
        batch_op.drop_index(batch_op.f('ix_notifications_state_next_attempt_at'))

    op.drop_table('notifications')
    with op.batch_alter_table('kiosk_devices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosk_devices_unit_id'))

    op.drop_table('kiosk_devices')
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.drop_index('ix_dossiers_code')
        batch_op.drop_index('ix_dossiers_unit_field')
        batch_op.drop_index('ix_dossiers_received_at')
        batch_op.drop_index('ix_dossiers_open_due')
        batch_op.drop_index('ix_dossiers_next_change_at')
        batch_op.drop_index('ix_dossiers_due_status')

    op.drop_table('dossiers')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alerts_rule_state'))
        batch_op.drop_index(batch_op.f('ix_alerts_state_next_escalation_at'))
        batch_op.drop_index(batch_op.f('ix_alerts_unit_id_state'))
        batch_op.drop_index(batch_op.f('ix_alerts_state_next_notify_at'))

    op.drop_table('alerts')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_unit_id'))

    op.drop_table('users')
    with op.batch_alter_table('procedures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procedures_field_id'))

    op.drop_table('procedures')
    with op.batch_alter_table('officers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_officers_unit_id'))

    op.drop_table('officers')
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batches_source_id'))

    op.drop_table('import_batches')
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_units_parent_id'))

    op.drop_table('units')
    op.drop_table('sources')
    op.drop_table('notification_channels')
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_runs_job_id_started_at'))

    op.drop_table('job_runs')
    op.drop_table('fields')
    with op.batch_alter_table('calendar_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_days_scope'))

    op.drop_table('calendar_days')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_target'))
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    with op.batch_alter_table('apscheduler_jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_apscheduler_jobs_next_run_time'))

    op.drop_table('apscheduler_jobs')
    # ### end Alembic commands ###
