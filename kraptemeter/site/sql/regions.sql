-- The regions a sheet is made for, with the codes of the regions above each one.
select region_code, region_name, region_level, arbeidsmarktregio_code, corop_code,
       provincie_code, provincie_codes, classification_year
from regions
order by region_code
