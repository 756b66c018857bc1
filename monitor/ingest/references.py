"""The catalogue as the importer sees it: codes and names → ids, loaded once per import.

Units and procedures are only looked up (an unknown one is kept as text, not invented);
fields are created when a record names one we do not have, with the record's TenLinhVuc.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from monitor.ingest.values import fold
from monitor.models import Field, Procedure, Unit


@dataclass
class References:
    units_by_code: dict[str, int]
    units_by_name: dict[str, int]
    procedures: dict[str, tuple[int, int]]  # code → (id, field id)
    fields: dict[str, int]
    created_fields: int = 0

    @classmethod
    def load(cls, conn: Connection) -> References:
        units_by_code: dict[str, int] = {}
        units_by_name: dict[str, int] = {}
        for unit_id, code, name in conn.execute(select(Unit.id, Unit.code, Unit.name)):
            units_by_code[code] = unit_id
            # A name shared by two units is ambiguous: keep the first, by id.
            units_by_name.setdefault(fold(name), unit_id)
        procedures = {
            code: (pid, fid)
            for pid, code, fid in conn.execute(
                select(Procedure.id, Procedure.code, Procedure.field_id)
            )
        }
        fields = {code: fid for code, fid in conn.execute(select(Field.code, Field.id))}
        return cls(units_by_code, units_by_name, procedures, fields)

    def unit(self, code_or_name: str | None) -> int | None:
        """A unit by code, else by name (human exports often give the unit's name)."""
        if code_or_name is None:
            return None
        found = self.units_by_code.get(code_or_name)
        return found if found is not None else self.units_by_name.get(fold(code_or_name))

    def step_unit(self, code: str | None, name: str) -> int | None:
        if code is not None and code in self.units_by_code:
            return self.units_by_code[code]
        return self.units_by_name.get(fold(name)) if name else None

    def procedure(self, code: str) -> tuple[int | None, int | None]:
        return self.procedures.get(code, (None, None))

    def field(self, conn: Connection, code: str | None, name: str | None) -> int | None:
        """The id of field ``code``, created (named ``name`` or the code) if it is new."""
        if code is None:
            return None
        found = self.fields.get(code)
        if found is None:
            found = conn.execute(
                insert(Field).values(code=code, name=name or code).returning(Field.id)
            ).scalar_one()
            self.fields[code] = found
            self.created_fields += 1
        return found
